/**
 * `plan import` on documents of the genre other than the 2015 seed: a province office (督查处, units …处, the group
 * 相关业务处室, an item led by the supervisor) and a city office (…科, 各相关科室), different years, wrapped titles and
 * unit lists, full-width and half-width numbering.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeDocument, importWorkPlan, type ImportResult } from '../config/import/import-plan.ts';
import { readableId } from '../config/import/unit-names.ts';
import { formatIssue, parsePlanText } from '../config/load-plan.ts';

const fixture = (name: string) => new URL(`./fixtures/import/${name}`, import.meta.url).pathname;
const fixtureCalendar = new URL('./fixtures/calendars/cn-2027-TEST-FIXTURE.yaml', import.meta.url).pathname;

function importFile(name: string): ImportResult {
  return importWorkPlan(decodeDocument(readFileSync(fixture(name))).text, { source: name });
}

/** Every id of the skeleton: lower-case words, never the numbered placeholders `unit-1` or `group-1`. */
function expectReadableIds({ skeleton }: ImportResult): void {
  for (const id of [...skeleton.units.map((u) => u.id), ...skeleton.groups.map((g) => g.id)]) {
    expect(id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    expect(id).not.toMatch(/^(unit|group)-\d+$/);
  }
}

describe('a province document (督查处, …处, 相关业务处室, 2027)', () => {
  const imported = importFile('province-2027.txt');
  const { skeleton, report } = imported;

  it('links every deliverable: by its title, by identical units, or by the annex numbering one item per task', () => {
    expect(skeleton.deliverables.map((d) => [d.number, d.task, d.link.how])).toEqual([
      [1, 't01', 'close'], [2, 't02', 'exact'], [3, 't03', 'exact'], [4, 't04', 'number'], [5, 't05', 'units'], [6, 't06', 'close'],
    ]);
    expect(report).toContain('units link: line 51: deliverable 5. 完成2026年度全省信访工作目标管理 → task （五） 加强信访工作考核 (the only task with the same units; confirm `deliverables[4].task`)');
    expect(report).toContain('number link: line 47: deliverable 4. 出台复查复核工作规范性文件 → task （四） 完善复查复核工作机制 (the annex numbers one item per task; confirm `deliverables[3].task`)');
    expect(report.some((line) => line.startsWith('unlinked'))).toBe(false);
  });

  it('reads wrapped titles and unit lists and both widths of numbering', () => {
    expect(skeleton.tasks.map((t) => t.title)).toEqual(['推进信访事项网上办理', '规范信访事项受理办理程序', '加大督查督办力度', '完善复查复核工作机制', '加强信访工作考核', '加强信访干部队伍建设']);
    expect(skeleton.deliverables[2]!.title).toBe('开展全省信访积案化解专项督查');
    expect(skeleton.deliverables[4]!.units).toEqual(['zonghechu', 'xiangguan-yewu-chushi']);
    expect(skeleton.tasks[0]!.units).toEqual(['wangshang-xinfangchu', 'banxinchu', 'jiefangchu']);
  });

  it('gives readable ids from the names’ pinyin and the plan an id from the issuer and the year', () => {
    expectReadableIds(imported);
    expect(skeleton.units.map((u) => `${u.name} ${u.id}`)).toEqual([
      '网上信访处 wangshang-xinfangchu', '办信处 banxinchu', '接访处 jiefangchu', '复查复核处 fucha-fuhechu', '督查处 duchachu',
      '法规处 faguichu', '综合处 zonghechu', '人事处 renshichu', '局领导 leadership',
    ]);
    expect(skeleton.id).toBe('jiangbei-xinfang-2027');
    expect(report[1]).toBe('plan: id jiangbei-xinfang-2027 (from the issuer 江北省信访局 and the year), 2027年全省信访工作要点, 2027-01-01 – 2027-12-31');
  });

  it('resolves 相关业务处室 to the …处 units that are neither the supervisor nor an office of the organisation', () => {
    expect(skeleton.groups).toMatchObject([{ id: 'xiangguan-yewu-chushi', name: '相关业务处室', members: ['wangshang-xinfangchu', 'banxinchu', 'jiefangchu', 'fucha-fuhechu', 'faguichu', 'zonghechu'] }]);
    expect(report).toContain('group: line 20: 相关业务处室 → xiangguan-yewu-chushi, members guessed as 网上信访处、办信处、接访处、复查复核处、法规处、综合处 (confirm `groups[0].members`)');
  });

  it('warns that the item led by 督查处 skips level 1, in the report and beside the item in the file', () => {
    expect(report).toContain('warning: line 43: deliverable 3. 开展全省信访积案化解专项督查 is led by 督查处, the supervisor: level 1 (督办 → 督查处) is skipped for it, its first escalation goes to level 2 (通报 → 局领导); confirm `escalation` or give it another level-1 contact');
    expect(imported.yaml).toMatch(/# 注意：督查处本身是责任单位，第 1 级督办（送督查处）不适用，超期后直接进入第 2 级通报；请确认 escalation\n {4}task: t03/);
  });

  it('asks for the 2027 calendar file, and validates once the dates and the file are filled in', () => {
    expect(report).toContain('calendar: no calendar knows 2027: import the State Council\'s 节假日安排 notice (`duban calendar import`) and fill `calendar.files`');
    const before = parsePlanText(imported.yaml);
    expect(before.ok).toBe(false);
    let n = 0;
    const filled = imported.yaml
      .replace(/files: \[\].*/, `files: [${fixtureCalendar}]`)
      .replace(/^start: 2027-01-01.*/m, 'start: 2027-01-04')
      .replace(/due: null/g, () => `due: 2027-0${++n + 2}-15`);
    const after = parsePlanText(filled, { planDir: dirname(fixtureCalendar) });
    expect(after.ok ? [] : after.issues.map(formatIssue)).toEqual([]);
  });

  it('fills in a shipped calendar file for the year when there is one', () => {
    const withFile = importWorkPlan(readFileSync(fixture('province-2027.txt'), 'utf8'), { source: 'p.txt', calendarFileFor: (year) => `cn-${year}.yaml` });
    expect(withFile.yaml).toContain('  files: [cn-2027.yaml]   # 2027 年节假日与调休，取自 config/calendars/，请确认');
    expect(withFile.report).toContain('calendar: 2027 from the shipped calendar file cn-2027.yaml');
  });
});

describe('a city document (督查科, …科, 各相关科室, 2026)', () => {
  const imported = importFile('city-2026.txt');
  const { skeleton, report } = imported;

  it('links every deliverable, gives readable ids and an id from the issuer named in the title', () => {
    expect(skeleton.deliverables.map((d) => [d.number, d.title, d.task])).toEqual([
      [1, '开展重复信访治理', 't01'], [2, '市级信访事项办理流程图印发', 't02'], [3, '建立市信访联席会议督办台账', 't03'],
    ]);
    expectReadableIds(imported);
    expect(skeleton.id).toBe('linjiang-xinfang-2026');
    expect(skeleton.supervisor).toMatchObject({ id: 'duchake', name: '督查科', named: true });
  });

  it('resolves 各相关科室 to the …科 units, leaving out the supervisor and 办公室', () => {
    expect(skeleton.groups).toMatchObject([{ id: 'ge-xiangguan-keshi', members: ['banxinke', 'jiefangke', 'zongheke', 'wangxinke'] }]);
  });

  it('warns for the item led by 督查科 and the one that has it among its units', () => {
    expect(report.filter((line) => line.startsWith('warning:'))).toEqual([
      'warning: line 27: deliverable 1. 开展重复信访治理 has 督查科, the supervisor, among its units: level 1 (督办 → 督查科) is skipped for it, its first escalation goes to level 2 (通报 → 局领导); confirm `escalation` or give it another level-1 contact',
      'warning: line 34: deliverable 3. 建立市信访联席会议督办台账 is led by 督查科, the supervisor: level 1 (督办 → 督查科) is skipped for it, its first escalation goes to level 2 (通报 → 局领导); confirm `escalation` or give it another level-1 contact',
    ]);
  });

  it('validates once the due dates are filled in (2026 is in the calendar package)', () => {
    let n = 0;
    const result = parsePlanText(imported.yaml.replace(/due: null/g, () => `due: 2026-0${++n + 3}-30`));
    expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual([]);
  });
});

describe('a group whose members cannot be guessed', () => {
  it('is asked for in the report and the file, with the units to choose from', () => {
    const text = [
      '临江市信访局2026年信访工作要点', '一、工作', '（一）做好信访工作。做好信访工作。', '责任单位：办信科、相关单位',
      '附件', '1. 做好信访工作', '责任单位：办信科、相关单位',
    ].join('\n');
    const { skeleton, report, yaml } = importWorkPlan(text, { source: 'x.txt' });
    expect(skeleton.groups).toMatchObject([{ id: 'xiangguan-danwei', members: [], candidates: ['banxinke'] }]);
    expect(report).toContain('group: line 4: 相关单位 → xiangguan-danwei, members unknown: which units does it mean? (fill `groups[0].members` from banxinke)');
    expect(yaml).toContain('  # 待填：“相关单位”包括哪些单位？请从 units 中选填 id（可选：banxinke）。');
    expect(report.at(-1)).toContain('groups[0].members');
  });
});

describe('readable ids', () => {
  it('are the pinyin in two-syllable words, an odd last syllable joined to the word before it', () => {
    expect(['综合处', '复查复核处', '相关业务处室', '人民建议征集办公室', '绿化科', 'IT室'].map(readableId)).toEqual([
      'zonghechu', 'fucha-fuhechu', 'xiangguan-yewu-chushi', 'renmin-jianyi-zhengji-bangongshi', 'lvhuake', 'itshi',
    ]);
  });
});
