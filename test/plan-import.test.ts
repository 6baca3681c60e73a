import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { planImport } from '../cli/plan-import.ts';
import { CommandError } from '../cli/usage-error.ts';
import { decodeDocument, importWorkPlan, type ImportResult } from '../config/import/import-plan.ts';
import { formatIssue, loadPlanFile, parsePlanText } from '../config/load-plan.ts';
import type { Plan } from '../config/plan-schema.ts';

const run = promisify(execFile);
const dubanBin = new URL('../bin/duban.js', import.meta.url).pathname;
const seedPath = new URL('../config/plans/source/2015-xinfang-work-plan.txt', import.meta.url).pathname;
const fixture = (name: string) => new URL(`./fixtures/import/${name}`, import.meta.url).pathname;
const workDir = mkdtempSync(join(tmpdir(), 'duban-import-'));

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function importFile(path: string): ImportResult {
  return importWorkPlan(decodeDocument(readFileSync(path)).text, { source: path.split('/').at(-1)! });
}

/** The skeleton with `due: null` replaced, in order, by these dates: what a person does by hand. */
function withDueDates(yaml: string, dates: readonly string[]): string {
  let i = 0;
  return yaml.replace(/due: null/g, () => `due: ${dates[i++]}`);
}

async function shippedPlan(): Promise<Plan> {
  const result = await loadPlanFile(new URL('../config/plans/xinfang-2015.yaml', import.meta.url).pathname);
  if (!result.ok) throw new Error('the shipped plan does not validate');
  return result.plan;
}

describe('duban plan import, on the seed document', () => {
  const imported = importFile(seedPath);

  it('finds the shipped plan\'s tasks, deliverables, task links, units and leads', async () => {
    const shipped = await shippedPlan();
    const { skeleton } = imported;
    const pick = <T extends object, K extends keyof T>(items: readonly T[], keys: readonly K[]) => items.map((item) => Object.fromEntries(keys.map((k) => [k, item[k]])));
    expect(pick(skeleton.tasks, ['id', 'number', 'section', 'title', 'units'])).toEqual(pick(shipped.tasks, ['id', 'number', 'section', 'title', 'units']));
    expect(pick(skeleton.deliverables, ['id', 'number', 'title', 'task', 'units'])).toEqual(pick(shipped.deliverables, ['id', 'number', 'title', 'task', 'units']));
    expect(skeleton.deliverables.map((d) => d.units[0])).toEqual(shipped.deliverables.map((d) => d.units[0]));
    expect(pick(skeleton.units, ['id', 'name', 'emails'])).toEqual(shipped.units);
    expect(pick(skeleton.groups, ['id', 'name', 'members'])).toEqual(shipped.groups);
    expect(skeleton.sections).toEqual(shipped.sections);
    expect({ id: skeleton.id, title: skeleton.title, start: skeleton.start, end: skeleton.end, supervisor: skeleton.supervisor.id, escalation: skeleton.escalation })
      .toEqual({ id: shipped.id, title: shipped.title, start: shipped.start, end: shipped.end, supervisor: shipped.supervisor, escalation: shipped.escalation });
  });

  it('writes YAML that fails validation exactly at the 13 empty due dates, and passes once they are filled in', async () => {
    const shipped = await shippedPlan();
    const before = parsePlanText(imported.yaml);
    expect(before.ok).toBe(false);
    if (!before.ok) expect(before.issues.map((issue) => issue.path.join('.'))).toEqual(shipped.deliverables.map((_, i) => `deliverables.${i}.due`));

    const after = parsePlanText(withDueDates(imported.yaml, shipped.deliverables.map((d) => d.due)));
    expect(after.ok ? [] : after.issues.map(formatIssue)).toEqual([]);
    if (after.ok) {
      expect(after.plan.deliverables.map((d) => [d.due, d.dueAssumed])).toEqual(shipped.deliverables.map((d) => [d.due, true]));
      expect(after.plan.policy).toEqual(shipped.policy);
    }
  });

  it('says in the file, in Chinese, which fields to fill and which guesses to confirm', () => {
    expect(imported.yaml).toContain('# 必须填写（填写之前 `duban plan validate` 不会通过）：\n#   - deliverables[*].due：13 个事项的截止日期 YYYY-MM-DD（原文未给出，现为 null）\n');
    expect(imported.yaml).toContain('#   - supervisor：督查室（按名称猜测的督查部门）');
    expect(imported.yaml).toContain('#   - groups[0].members：“相关业务司室”的成员（按名称猜测的业务部门，未含督查部门和办公室等）');
    expect(imported.yaml.match(/due: null {10}# 待填：截止日期 YYYY-MM-DD/g)).toHaveLength(13);
  });

  it('reports its guesses: the supervisor, the assumed leadership, the group, and the two reworded deliverables', () => {
    expect(imported.report).toEqual([
      'read: 4 sections, 18 tasks, 13 deliverables (附件 says 共 13 项), 12 units, 1 group',
      'plan: id xinfang-2015 (guessed from the title: the document names no issuer; make it <organisation>-<year>), 2015 年信访工作要点, 2015-01-05 – 2015-12-31',
      'supervisor: 督查室 → duchashi (guessed from its name; confirm `supervisor`)',
      'assumed unit: 局领导 → leadership, the level-2 escalation (通报) contact; the document names none',
      'group: line 39: 相关业务司室 → xiangguan-yewu, members guessed as 办信一司、办信二司、来访接待司、投诉办、综合指导司、研究室 (confirm `groups[0].members`)',
      'close link: line 115: deliverable 5. 制定 2015 年信访工作考核评分细则 → task （七） 认真做好信访工作考核 (16 of 16 character pairs; confirm `deliverables[4].task`)',
      'close link: line 127: deliverable 8. 制定信访立法工作方案 → task （十一） 开展信访立法调研和论证 (8 of 9 character pairs; confirm `deliverables[7].task`)',
      'warning: line 107: deliverable 3. 评选督查督办精品案例 is led by 督查室, the supervisor: level 1 (督办 → 督查室) is skipped for it, its first escalation goes to level 2 (通报 → 局领导); confirm `escalation` or give it another level-1 contact',
      'warning: line 123: deliverable 7. 出台改进复查复核工作的规范性文件 has 督查室, the supervisor, among its units: level 1 (督办 → 督查室) is skipped for it, its first escalation goes to level 2 (通报 → 局领导); confirm `escalation` or give it another level-1 contact',
      'to fill before `duban plan validate` passes: deliverables[*].due',
    ]);
  });
});

describe('duban plan import, on documents that differ from the seed', () => {
  it('reads extra spaces, half-width punctuation, full-width digits and wrapped lines as the seed\'s format', () => {
    const { skeleton, report } = importFile(fixture('variants.txt'));
    expect(skeleton.tasks.map((t) => [t.number, t.section, t.title, t.units])).toEqual([
      [1, 1, '进一步推行“阳光信访”新模式', ['tousuban', 'xinxi-zhongxin', 'banxin-1', 'banxin-2', 'laifang']],
      [2, 1, '深入推进依法逐级走访', ['laifang', 'zonghe']],
      [3, 2, '规范信访统计分析', ['zonghe', 'bangongshi']],
      [4, 2, '突出抓好能力建设', ['renshisi', 'xiangguan-yewu']],
    ]);
    expect(skeleton.deliverables.map((d) => [d.number, d.title, d.units, d.task])).toEqual([
      [1, '出台关于进一步加强和规范信访统计工作的意见', ['zonghe', 'bangongshi'], 't03'],
      [2, '办好各级各类专题培训班、加强视频培训', ['renshisi', 'xiangguan-yewu'], 't04'],
      [3, '推进国家信访信息系统完善和应用', ['banxin-1'], 't01'],
    ]);
    expect(skeleton.sections).toEqual([{ number: 1, title: '深化改革' }, { number: 2, title: '夯实基础' }]);
    expect(report).toEqual([
      'read: 2 sections, 4 tasks, 3 deliverables (附件 says 共 3 项), 8 units, 1 group',
      'plan: id xinfang-2016 (guessed from the title: the document names no issuer; make it <organisation>-<year>), 2016年信访工作要点, 2016-01-04 – 2016-12-31',
      'supervisor: none named in the document; assumed 督查室 → duchashi (confirm `supervisor`)',
      'assumed unit: 局领导 → leadership, the level-2 escalation (通报) contact; the document names none',
      'group: line 21: 相关业务司室 → xiangguan-yewu, members guessed as 办信一司、办信二司、来访接待司、投诉办、综合指导司 (confirm `groups[0].members`)',
      'to fill before `duban plan validate` passes: deliverables[*].due',
    ]);
  });

  it('reads the same document saved as GB18030 (GBK) or as UTF-16 with a BOM', () => {
    const bytes = readFileSync(fixture('variants-gb18030.txt'));
    expect(decodeDocument(bytes).encoding).toBe('GB18030');
    expect(importFile(fixture('variants-gb18030.txt')).yaml).toBe(importFile(fixture('variants.txt')).yaml.replace('variants.txt', 'variants-gb18030.txt'));
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(readFileSync(fixture('variants.txt'), 'utf8'), 'utf16le')]);
    expect(decodeDocument(utf16)).toEqual({ text: readFileSync(fixture('variants.txt'), 'utf8'), encoding: 'UTF-16' });
  });

  it('takes an annex heading written on the 附件 line itself', () => {
    const text = readFileSync(seedPath, 'utf8').replace('附件\n\n《2015 年信访工作要点》明确的主要事项 (共 13 项)', '附件：主要事项（共 13 项）');
    expect(text).toContain('\n附件：主要事项（共 13 项）\n');
    const { skeleton, report } = importWorkPlan(text, { source: 'seed.txt' });
    expect(skeleton.deliverables).toHaveLength(13);
    expect(skeleton.declaredCount).toBe(13);
    expect(report.filter((line) => line.startsWith('unplaced'))).toEqual([]);
  });

  it('reports a missing 责任单位, an unknown unit, another supervisor name, an unlinked deliverable and a stray line, each with its line', () => {
    const { skeleton, report, yaml } = importFile(fixture('gaps.txt'));
    expect(report).toEqual([
      'read: 1 section, 2 tasks, 3 deliverables, 5 units, 0 groups',
      'plan: id xinfang-2015 (guessed from the title: the document names no issuer; make it <organisation>-<year>), 2015 年信访工作要点, 2015-01-05 – 2015-12-31',
      'supervisor: 督查处 → duchachu (guessed from its name; confirm `supervisor`)',
      'assumed unit: 局领导 → leadership, the level-2 escalation (通报) contact; the document names none',
      'new unit: line 8: 法规司 → faguisi (id from its pinyin, address faguisi@xinfang.example)',
      'missing 责任单位: line 5: task （一） 加强初信初访办理 — units left empty (fill `tasks[0].units`)',
      'missing 责任单位: line 16: deliverable 2. 评选督查督办精品案例 — units left empty (fill `deliverables[1].units`)',
      'unlinked: line 18: deliverable 3. 编制年度信访白皮书 — no task mentions it (fill `deliverables[2].task`)',
      'unplaced: line 9: text after the 责任单位 of task （二）: 这一行不属于任何任务。',
      'to fill before `duban plan validate` passes: tasks[0].units, deliverables[1].units, deliverables[2].task, deliverables[*].due',
    ]);
    expect(skeleton.supervisor).toEqual({ id: 'duchachu', name: '督查处', named: true, others: [] });
    expect(skeleton.escalation[0]!.units).toEqual(['duchachu']);
    expect(skeleton.deliverables.map((d) => d.task)).toEqual(['t01', 't02', null]);

    // The file fails validation at exactly the fields the report names …
    const before = parsePlanText(yaml);
    expect(before.ok ? [] : [...new Set(before.issues.map((i) => i.path.join('.')))].sort()).toEqual([
      'deliverables.0.due', 'deliverables.1.due', 'deliverables.1.units', 'deliverables.2.due', 'deliverables.2.task', 'tasks.0.units',
    ]);
    // … and passes once a person fills them in.
    const filled = withDueDates(yaml, ['2015-06-30', '2015-09-30', '2015-12-15'])
      .replace('units: [] }', 'units: [banxin-1] }')
      .replace(/units: \[\] {3}# 待填：原文第 16 行.*/, 'units: [duchachu]')
      .replace(/task: null .*/, 'task: t02');
    const after = parsePlanText(filled);
    expect(after.ok ? [] : after.issues.map(formatIssue)).toEqual([]);
  });

  it('refuses a file that is not a 工作要点: no tasks, a PDF, a binary', () => {
    expect(() => importWorkPlan('会议通知\n\n请各单位准时参加。\n', { source: 'x.txt' })).toThrow('has no task （一）… and no numbered 附件 list');
    expect(() => decodeDocument(Buffer.from('%PDF-1.7\n…'))).toThrow('is a PDF file');
    expect(() => decodeDocument(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]))).toThrow('is a binary file');
  });
});

describe('the duban plan import command', () => {
  it('writes the skeleton to -o and the report to stderr, exit 0', async () => {
    const out = join(workDir, 'gaps.yaml');
    const { stdout, stderr } = await run(process.execPath, [dubanBin, 'plan', 'import', fixture('gaps.txt'), '-o', out]);
    expect(stdout).toBe('');
    expect(stderr).toContain(`duban plan import: ${fixture('gaps.txt')} → ${out}\n  read: 1 section, 2 tasks`);
    expect(stderr).toContain('  new unit: line 8: 法规司 → faguisi');
    expect(readFileSync(out, 'utf8')).toBe(importFile(fixture('gaps.txt')).yaml);
  });

  it('exits 2 with one line for a file it cannot read', async () => {
    const failed = await run(process.execPath, [dubanBin, 'plan', 'import', join(workDir, 'missing.txt')]).catch((err: { code: number; stderr: string }) => err);
    expect(failed).toMatchObject({ code: 2, stderr: `duban: plan import: cannot read ${join(workDir, 'missing.txt')}: no such file\n` });
  });

  it('turns an unsupported file or a directory into an exit-2 error, and writes nothing', async () => {
    const notice = join(workDir, 'notice.txt');
    writeFileSync(notice, '会议通知\n请各单位准时参加。\n');
    const out = join(workDir, 'never.yaml');
    const attempt = (file: string) => planImport([file, '-o', out], { stdout: () => undefined, stderr: () => undefined });
    await expect(attempt(notice)).rejects.toThrow(new CommandError(`plan import: ${notice} has no task （一）… and no numbered 附件 list: it is not a 工作要点 in the supported format`, 2));
    await expect(attempt(workDir)).rejects.toMatchObject({ exitCode: 2, message: `plan import: cannot read ${workDir}: a directory` });
    expect(() => readFileSync(out)).toThrow();
  });
});
