/**
 * The units a 工作要点 names, as stable, readable ASCII ids: a built-in table, else the name's pinyin (`综合处` →
 * `zonghechu`); the supervision office; groups such as 相关业务司室 and whom they take in.
 */
import { pinyin } from 'pinyin-pro';

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

// Offices that run the organisation rather than its business: never guessed into a 相关业务… group.
const nonBusiness = /办公室|人事|党委|党办|党组|纪检|纪委|监察|机关|财务|计财|后勤|保卫|老干部|工会|团委|妇委/;

/**
 * A first guess at a group's members (相关业务司室, 相关业务处室 …): among the document's units (`{ id, name }`, in
 * document order), the business departments — from the table when it knows them, in its order, else every unit
 * whose name ends with one of the group's kinds (`处室` → …处 or …室) and that does not run the organisation
 * (办公室, 人事处, 机关党委 …). The supervision office and the leadership are never among them.
 */
export function guessGroupMembers(groupName: string, units: readonly { readonly id: string; readonly name: string }[]): string[] {
  const kinds = [...(/[司处科室局办]+$/.exec(groupName.replace(/(单位|部门)$/, ''))?.[0] ?? '')];
  const fromTable = [...knownUnits.values()].filter((known) => known.business && units.some((u) => u.id === known.id)).map((known) => known.id);
  const others = units
    .filter((u) => !knownUnits.has(u.name) && !looksLikeSupervisor(u.name) && !nonBusiness.test(u.name) && !/领导$/.test(u.name))
    .filter((u) => kinds.length > 0 && kinds.some((kind) => u.name.endsWith(kind)))
    .map((u) => u.id);
  return [...fromTable, ...others];
}

/**
 * A readable id from a Chinese name: its pinyin in two-syllable words, a last single syllable joined to the word
 * before it (`复查复核处` → `fucha-fuhechu`, `相关业务处室` → `xiangguan-yewu-chushi`). Letters and digits in the
 * name stay (lower-case); anything else is dropped.
 */
export function readableId(name: string): string {
  const syllables = pinyin(name, { toneType: 'none', type: 'array', v: true, nonZh: 'consecutive' })
    .map((s) => s.toLowerCase().replace(/[^a-z0-9]/g, ''))
    .filter((s) => s !== '');
  // Pairs, and the last three syllables as one word when the count is odd.
  const paired = syllables.length % 2 === 1 ? Math.max(0, syllables.length - 3) : syllables.length;
  const words: string[] = [];
  for (let i = 0; i < paired; i += 2) words.push(syllables[i]! + syllables[i + 1]!);
  if (paired < syllables.length) words.push(syllables.slice(paired).join(''));
  return words.join('-').replace(/^-+|-+$/g, '') || 'unit';
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
