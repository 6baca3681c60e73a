/** 催报: the lead unit's periodic progress report (定期报送) did not come in by its deadline. */
import { chineseDate } from '../format.ts';
import { deliverableFacts, deliverableSubject, officeOf, quoted, type Template } from './common.ts';

/** To the lead unit, with its progress link: report now, and the item's light turns from yellow back to green. */
export const reportReminder: Template = ({ notification: n, recipient }) => {
  const cadence = n.context.reportCadence;
  const missed = n.context.reportsMissed ?? 1;
  const last = n.context.lastReportAt;
  const lastText = last ? `你单位上次报送进展为${chineseDate(last, n.timezone)}` : '你单位尚未报送过进展';
  return {
    subject: deliverableSubject(n, '催报', missed > 1 ? `已连续${missed}期未报送` : '进展未按期报送'),
    heading: '催报通知',
    paragraphs: [
      `按照${officeOf(n).supervisor}的定期报送要求，${quoted(n)}由牵头单位${cadence ? `${cadence}` : '定期'}报送一次工作进展。${lastText}，本期进展至今未报送${missed > 1 ? `（已连续${missed}期）` : ''}，本事项已标记为“报送滞后”。`,
      '请通过下方“报告进展”链接报送工作进展（可填写完成比例或所处阶段）；报送后，报送滞后的标记即行解除。',
    ],
    facts: [
      ...deliverableFacts(n, recipient),
      ...(cadence ? [['报送要求', cadence] as [string, string]] : []),
      ['上次报送', last ? chineseDate(last, n.timezone) : '尚未报送'],
    ],
  };
};
