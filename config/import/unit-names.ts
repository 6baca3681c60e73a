/** The units a 工作要点 names, as stable ASCII ids: a built-in table, the supervision office, and groups such as 相关业务司室. */

/** One known unit: its ASCII id, and whether it is a business department (a guess for 相关业务司室's members). */
interface KnownUnit {
  readonly id: string;
  readonly business: boolean;
}

// The ids the shipped 2015 plan uses. The order of business departments is the order a guessed
// 相关业务司室 lists them in: the complaint-handling departments first, then guidance and research. The
// supervision office is not counted among them: it supervises those items rather than doing them.
const knownUnits: ReadonlyMap<string, KnownUnit> = new Map([
  ['办信一司', { id: 'banxin-1', business: true }],
  ['办信二司', { id: 'banxin-2', business: true }],
  ['来访接待司', { id: 'laifang', business: true }],
  ['投诉办', { id: 'tousuban', business: true }],
  ['综合指导司', { id: 'zonghe', business: true }],
  ['督查室', { id: 'duchashi', business: false }],
  ['研究室', { id: 'yanjiushi', business: true }],
  ['办公室', { id: 'bangongshi', business: false }],
  ['人事司', { id: 'renshisi', business: false }],
  ['监察室', { id: 'jianchashi', business: false }],
  ['机关党委', { id: 'jiguan-dangwei', business: false }],
  ['信息中心', { id: 'xinxi-zhongxin', business: false }],
  ['局领导', { id: 'leadership', business: false }],
  // Other names a supervision office goes by.
  ['督查处', { id: 'duchachu', business: false }],
  ['督查局', { id: 'duchaju', business: false }],
  ['督查司', { id: 'duchasi', business: false }],
  ['督办室', { id: 'dubanshi', business: false }],
  ['督办处', { id: 'dubanchu', business: false }],
]);

/** The id of a name in the built-in table, or undefined. */
export function knownUnitId(name: string): string | undefined {
  return knownUnits.get(name)?.id;
}

/** Of these unit ids, the business departments, in the table's order (a first guess at 相关业务司室). */
export function businessUnitIds(ids: readonly string[]): string[] {
  return [...knownUnits.values()].filter((unit) => unit.business && ids.includes(unit.id)).map((unit) => unit.id);
}

/** Whether the name reads as a supervision office (督查室, 督查处, 督查局, 督办室 …). */
export function looksLikeSupervisor(name: string): boolean {
  return /督(查|办)/.test(name) && /(室|处|局|司|办|科|组)$/.test(name);
}

const knownGroups: ReadonlyMap<string, string> = new Map([['相关业务司室', 'xiangguan-yewu']]);

/** The id of a known group name, or undefined. */
export function knownGroupId(name: string): string | undefined {
  return knownGroups.get(name);
}

/** Whether the name stands for several units rather than one (相关业务司室, 各有关部门 …). */
export function looksLikeGroup(name: string): boolean {
  return knownGroups.has(name) || /^(相关|有关|各)/.test(name);
}

/** The level-2 escalation contact a plan needs and a 工作要点 never names. */
export const leadershipUnit = { id: 'leadership', name: '局领导' } as const;

/** The supervision office assumed when the document names none. */
export const defaultSupervisor = { id: 'duchashi', name: '督查室' } as const;
