/** Dates as Chinese readers expect them: 2015年3月31日（星期二）. */
import { parseIsoDate, type IsoDate } from './iso-date.ts';

const weekdays = ['一', '二', '三', '四', '五', '六', '日'];

/** `2015年3月31日（星期二）` for `2015-03-31`. */
export function chineseDate(date: IsoDate): string {
  const { year, month, day, weekday } = parseIsoDate(date);
  return `${year}年${month}月${day}日（星期${weekdays[weekday - 1]}）`;
}
