/** Writes a plan skeleton as YAML in the shipped plan's layout, with Chinese comments on what to fill in and confirm. */
import { parse } from 'yaml';
import type { PlanSkeleton, SkeletonDeliverable } from './build-skeleton.ts';
import { chineseNumeral } from './text.ts';

/** The YAML text of the skeleton. */
export function renderSkeletonYaml(plan: PlanSkeleton): string {
  const out: string[] = [];
  const line = (text = '') => out.push(text);
  const taskNumber = (id: string | null) => plan.tasks.find((t) => t.id === id)?.number;

  line(`# ${plan.title ?? '（无标题）'} — 计划草稿，由 \`duban plan import\` 从 ${plan.source} 生成。`);
  line(`# 原文：${plan.sections.length} 个部分、${plan.tasks.length} 项任务，附件列出 ${plan.deliverables.length} 个主要事项。`);
  line('# 每个 units 列表按原文顺序排列，第一个为牵头单位。');
  line('#');
  if (plan.toFill.length > 0) {
    line('# 必须填写（填写之前 `duban plan validate` 不会通过）：');
    for (const field of plan.toFill) line(`#   - ${field.path}：${field.what}`);
  }
  line('# 请核对（以下内容为猜测或占位，校验可以通过，但未必正确）：');
  for (const field of plan.toConfirm) line(`#   - ${field.path}：${field.what}`);
  line('#   - policy：提醒、超期与督办的默认节奏（与 2015 年计划相同），可按需调整');
  line('# 填好后运行 `duban plan validate <本文件>` 检查。');
  line(`id: ${scalar(plan.id)}   # 计划 id（小写字母、数字、连字符），请确认`);
  line(`title: ${plan.title === null ? 'null   # 待填：计划标题' : scalar(plan.title)}`);
  // The issuer signs every notice beside the supervisor's name (国家信访局督查室, XX省人民政府办公厅督查处).
  if (plan.organisation) line(`organisation: ${scalar(plan.organisation)}   # 发文机关：通知落款用，请确认`);
  line(`timezone: ${plan.timezone}`);
  const startNote = plan.calendarCovered && !plan.calendarFile ? '年内第一个周一至周五的工作日，请确认' : '1 月 1 日是元旦假日：请按该年日历改为第一个工作日';
  line(`start: ${plan.start ?? 'null   # 待填：开始日期 YYYY-MM-DD'}${plan.start ? `   # ${startNote}` : ''}`);
  line(`end: ${plan.end ?? 'null   # 待填：结束日期 YYYY-MM-DD'}`);
  line('calendar:');
  line('  source: chinese-days   # 收录 2004–2026 年；其他年份用 files 引用日历文件（duban calendar import 生成）');
  if (plan.calendarFile) line(`  files: [${plan.calendarFile}]   # ${plan.year} 年节假日与调休，取自 config/calendars/，请确认`);
  else if (!plan.calendarCovered) line(`  files: []   # 待填：${plan.year ?? '该'} 年的日历文件，如 cn-${plan.year ?? 'YYYY'}.yaml（duban calendar import 国务院办公厅节假日安排通知）`);
  line('  overrides: []');
  line();

  line('units:');
  const idWidth = Math.max(...plan.units.map((u) => u.id.length)) + 1;
  const nameWidth = Math.max(...plan.units.map((u) => displayWidth(`${scalar(u.name)},`)));
  for (const unit of plan.units) {
    const note = unit.origin === 'pinyin'
      ? `   # 待确认：“${unit.name}”不在内置单位表中，id 取自拼音（第 ${unit.line} 行）`
      : unit.origin === 'assumed' ? `   # 原文未提及，假定的${unit.id === plan.supervisor.id ? '督查部门' : '第 2 级督办（通报）对象'}` : '';
    line(`  - { id: ${`${unit.id},`.padEnd(idWidth)} name: ${padDisplay(`${scalar(unit.name)},`, nameWidth)} emails: [${unit.emails.join(', ')}] }${note}`);
  }
  line();

  if (plan.groups.length > 0) {
    line('groups:');
    for (const group of plan.groups) {
      line(group.members.length > 0
        ? `  # 待确认：“${group.name}”的成员为按名称猜测的业务部门（未含督查部门和办公室等），请按实际增删。`
        : `  # 待填：“${group.name}”包括哪些单位？请从 units 中选填 id（可选：${group.candidates.join('、')}）。`);
      line(`  - id: ${group.id}`);
      line(`    name: ${scalar(group.name)}`);
      line(`    members: [${group.members.join(', ')}]`);
    }
    line();
  }

  line(`supervisor: ${plan.supervisor.id}   # 待确认：${plan.supervisor.named ? `按名称猜测的督查部门“${plan.supervisor.name}”` : '原文未提及督查部门，假定为督查室'}${plan.supervisor.others.length > 0 ? `；另有 ${plan.supervisor.others.join('、')}` : ''}`);
  line('escalation:   # 第 1 级督办送督查部门，第 2 级通报送局领导（假定），请确认');
  for (const level of plan.escalation) line(`  - { level: ${level.level}, label: ${level.label}, units: [${level.units.join(', ')}] }`);
  line();

  line('policy:');
  const policy = plan.policy;
  const policyLines: [string, string][] = [
    [`reminderOffsets: [${policy.reminderOffsets.join(', ')}]`, `到期前第 ${policy.reminderOffsets.join('、')} 个工作日提醒、催办`],
    [`sendHour: ${policy.sendHour}`, `通知在工作日 ${policy.sendHour}:00（计划时区）发出`],
    [`overdueRepeatEvery: ${policy.overdueRepeatEvery}`, `超期后每 ${policy.overdueRepeatEvery} 个工作日重复超期通知`],
    [`escalationThresholds: [${policy.escalationThresholds.join(', ')}]`, `${policy.escalationThresholds.map((t, i) => `超期 ${t} 个工作日起第 ${i + 1} 级`).join('；')}（到期后第一个工作日为超期第 0 日）`],
    [`completion: ${policy.completion}`, '牵头单位确认即完成（all：每个责任单位都须确认）'],
    [`acceptanceRequired: ${policy.acceptanceRequired}`, '确认完成后须督查部门验收'],
    ...(policy.acknowledgeWithin === undefined ? [] : [[`acknowledgeWithin: ${policy.acknowledgeWithin}`, `交办后 ${policy.acknowledgeWithin} 个工作日内未签收的单位收到催签（可删去此行）`] as [string, string]]),
    ...(policy.acknowledgementPausesEscalation === undefined ? [] : [[`acknowledgementPausesEscalation: ${policy.acknowledgementPausesEscalation}`, `超期后牵头单位“已签收·正在办理”可暂停自动督办 ${policy.acknowledgementPausesEscalation} 个工作日（每级一次；可删去此行）`] as [string, string]]),
    ...(policy.instructionReminderDays === undefined ? [] : [[`instructionReminderDays: ${policy.instructionReminderDays}`, `领导批示 ${policy.instructionReminderDays} 个工作日未答复即提醒（至多 3 次）`] as [string, string]]),
  ];
  const policyWidth = Math.max(...policyLines.map(([field]) => field.length)) + 3;
  for (const [field, comment] of policyLines) line(`  ${field.padEnd(policyWidth)}# ${comment}`);
  line();

  line('sections:');
  for (const section of plan.sections) line(`  - { number: ${section.number}, title: ${scalar(section.title)} }`);
  line();

  line('tasks:');
  for (const task of plan.tasks) {
    const notes = [
      task.section === null ? '待填 section：原文中此项之前没有“一、”' : '',
      task.units.length === 0 ? `待填 units：原文第 ${task.line} 行起的此项未写责任单位` : '',
    ].filter(Boolean);
    line(`  - { id: ${task.id}, number: ${task.number}, section: ${task.section ?? 'null'}, title: ${scalar(task.title)}, units: [${task.units.join(', ')}] }${notes.length ? `   # ${notes.join('；')}` : ''}`);
  }
  line();

  line('deliverables:');
  for (const deliverable of plan.deliverables) {
    line(`  - id: ${deliverable.id}`);
    line(`    number: ${deliverable.number}`);
    line(`    title: ${scalar(deliverable.title)}`);
    const warning = plan.warnings.find((w) => w.line === deliverable.line);
    if (warning) line(`    # 注意：${plan.supervisor.name}本身是责任单位，第 1 级督办（送${plan.supervisor.name}）不适用，超期后直接进入第 2 级通报；请确认 escalation`);
    line(`    task: ${deliverable.task ?? 'null'}   # ${linkComment(deliverable, taskNumber(deliverable.task))}`);
    line(`    units: [${deliverable.units.join(', ')}]${deliverable.units.length === 0 ? `   # 待填：原文第 ${deliverable.line} 行起的此项未写责任单位` : ''}`);
    line('    due: null          # 待填：截止日期 YYYY-MM-DD（原文未给出）');
    line('    dueAssumed: true   # 日期由计划编制人确定；请在 due 旁注明理由');
  }
  return `${out.join('\n')}\n`;
}

function linkComment(d: SkeletonDeliverable, taskNumber: number | undefined): string {
  const link = d.link;
  if (link.how === 'exact') return `原文第（${chineseNumeral(taskNumber ?? 0)}）项中有此表述`;
  if (link.how === 'close') return `待确认：按相近措辞关联到第（${chineseNumeral(taskNumber ?? 0)}）项（${link.shared}/${link.of} 个字对相同）`;
  if (link.how === 'units') return `待确认：按相同的责任单位关联到第（${chineseNumeral(taskNumber ?? 0)}）项`;
  if (link.how === 'number') return `待确认：按附件与任务的平行编号关联到第（${chineseNumeral(taskNumber ?? 0)}）项`;
  return `待填：未能在任务中找到此事项${link.best ? `（最接近 ${link.best.task}，${link.best.shared}/${link.best.of} 个字对相同）` : ''}，请填任务 id`;
}

/** A string as a YAML scalar that reads back as the same string inside a flow collection: plain when safe, else double-quoted. */
export function scalar(text: string): string {
  const plainSafe = /^[^\s'"\-?:,[\]{}#&*!|>%@`][^,[\]{}]*$/u.test(text) && !/:\s|\s#|:$/.test(text);
  if (plainSafe) {
    try {
      if ((parse(`[${text}]`) as unknown[])[0] === text) return text;
    } catch {
      // not plain after all
    }
  }
  return JSON.stringify(text);
}

/** Columns a string takes in a monospaced editor: two for each CJK or full-width character. */
function displayWidth(text: string): number {
  return [...text].reduce((width, c) => width + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(c) ? 2 : 1), 0);
}

function padDisplay(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}
