/** Templates of the notices about the whole plan or the mail itself: 周报, 年度总结, 投递失败. */
import type { DeliverableSummary, Light, Notification } from '../../../workflows/definitions.ts';
import { countOutcomes, outcomeOf, rateSentence, type OutcomeCounts } from '../../../domain/on-time-rate.ts';
import { chineseDate, chineseDateInline, kindName, lightNames, lights, shortDate, statusName } from '../format.ts';
import type { DocTable } from '../mail-doc.ts';
import { progressWithMeasure } from '../../../domain/progress-text.ts';
import { deliverableFacts, officeOf, quoted, type Template } from './common.ts';

function rowsOf(n: Notification): readonly DeliverableSummary[] {
  return [...(n.context.rows ?? [])].sort((a, b) => a.number - b.number);
}

// The on-time rate as the console and simulate count it (domain/on-time-rate.ts): rows carry status and onTime.
function rowCounts(rows: readonly DeliverableSummary[]): OutcomeCounts {
  return countOutcomes(rows.map((r) => outcomeOf(r.status, r.onTime)));
}

function counts(rows: readonly DeliverableSummary[]): string {
  const by = (light: Light) => rows.filter((r) => r.light === light).length;
  return lights.map((l) => `${lightNames[l]}灯${by(l)}项`).join('，');
}

/** `研究室（3月20日）：初稿已完成`: the latest progress a unit reported, or a dash. */
function progressText(n: Notification, row: DeliverableSummary): string {
  const p = row.latestProgress;
  if (!p) return '—';
  return `${p.unitName}（${shortDate(p.at, n.timezone).replace(/^\d+年/, '')}）：${progressWithMeasure(p)}`;
}

function table(n: Notification, rows: readonly DeliverableSummary[], withProgress: boolean): DocTable {
  return {
    columns: ['序号', '事项', '牵头单位', '办理期限', '状态', '督办级别', '灯', ...(withProgress ? ['最新进展'] : [])],
    rows: rows.map((r) => [
      String(r.number),
      r.itemKind === 'task' ? `${r.title}（工作任务）` : r.title,
      r.leadUnitName ?? r.leadUnitId,
      chineseDate(r.due, n.timezone),
      statusName(r.status),
      r.escalationLevel > 0 ? `第${r.escalationLevel}级` : '—',
      { light: r.light },
      ...(withProgress ? [progressText(n, r)] : []),
    ]),
  };
}

/** The items whose periodic report is missing (报送滞后), when there are any. */
function laggingSentence(rows: readonly DeliverableSummary[]): string[] {
  const lagging = rows.filter((r) => r.status === 'lagging').length;
  return lagging > 0 ? [`另有${lagging}项未按期报送进展（报送滞后，黄灯），已向牵头单位催报。`] : [];
}

function asOf(n: Notification): string {
  return chineseDate(n.scheduledFor, n.timezone);
}

/** 周报 (to the supervisor): every deliverable as a light, counted per light, with the latest progress reported. */
export const digest: Template = ({ notification: n }) => {
  const rows = rowsOf(n);
  const red = rows.filter((r) => r.light === 'red').length;
  return {
    subject: `【周报】督办事项进展情况（截至${chineseDateInline(n.scheduledFor, n.timezone)}）`,
    heading: '督办事项周报',
    paragraphs: [
      `截至${asOf(n)}，《${officeOf(n).planTitle}》共${rows.length}项督办事项：${counts(rows)}。`,
      red > 0 ? `其中${red}项已超期或已督办（红灯），请重点跟进。` : '目前无超期事项。',
      ...laggingSentence(rows),
      `${rateSentence(rowCounts(rows))}。`,
    ],
    table: table(n, rows, true),
    signature: '督办系统',
  };
};

/** 年度总结 (to the supervisor): the year's outcome, with the on-time rate. */
export const finalReport: Template = ({ notification: n }) => {
  const rows = rowsOf(n);
  const done = rows.filter((r) => r.status === 'done');
  const cancelled = rows.filter((r) => r.status === 'cancelled').length;
  const open = rows.length - done.length - cancelled;
  const rate = rowCounts(rows);
  return {
    subject: `【年度总结】督办事项办理情况（${officeOf(n).planTitle}）`,
    heading: '督办事项年度总结',
    paragraphs: [
      `《${officeOf(n).planTitle}》共${rows.length}项督办事项，已办结${done.length}项，撤销${cancelled}项，未办结${open}项；${rateSentence(rate)}，其中逾期完成${rate.late}项、超期未完成${rate.overdueOpen}项。`,
      `各事项状态：${counts(rows)}。`,
    ],
    table: table(n, rows, false),
    signature: '督办系统',
  };
};

/** 投递失败 (to the supervisor): a notice could not be delivered and will not be retried. */
export const deliveryFailure: Template = ({ notification: n, recipient }) => {
  const failed = kindName(n.context.failedKind);
  return {
    subject: n.deliverable ? `【投递失败】${failed}未能送达：${n.deliverable.title}` : `【投递失败】${failed}未能送达`,
    heading: '邮件投递失败',
    paragraphs: [
      `${n.deliverable ? quoted(n) : '督办系统'}的${failed}未能投递，系统不再重试。请核实相关单位的邮箱地址，必要时以其他方式通知。`,
    ],
    quotes: [['错误信息', n.context.error ?? '（无）']],
    facts: [...(n.deliverable ? deliverableFacts(n, recipient) : []), ['通知类型', failed], ['通知编号', n.context.failedKey ?? '—']],
    signature: '督办系统',
  };
};

/** 事项异常终止 (to 督查室): Temporal stopped deliverables (terminated, failed); they send no notice until restarted. */
export const deliverableStopped: Template = ({ notification: n }) => {
  const rows = rowsOf(n);
  return {
    subject: `【异常】${rows.length}项督办事项已终止或失败，不再自动催办`,
    heading: '督办事项异常终止',
    paragraphs: [
      `截至${asOf(n)}，《${officeOf(n).planTitle}》中以下${rows.length}项督办事项的工作流已被终止或运行失败，不再发送提醒、催办和督办通知。`,
      '请联系系统管理员查明原因，并在 Temporal 中重新启动或妥善处理这些事项。',
    ],
    table: table(n, rows, false),
    signature: '督办系统',
  };
};
