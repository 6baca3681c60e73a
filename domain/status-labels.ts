/** How statuses and lights read in Chinese, for the web pages, mails and the CLI. */
import type { DeliverableStatus, Light } from '../workflows/definitions.ts';

const statusNames: Record<DeliverableStatus, string> = {
  assigned: '已交办',
  in_progress: '办理中',
  due_soon: '临期',
  lagging: '报送滞后',
  overdue: '超期',
  escalated: '已督办',
  awaiting_acceptance: '待验收',
  done: '已办结',
  cancelled: '已撤销',
  terminated: '已终止',
  failed: '失败',
};

const lightNames: Record<Light, string> = { green: '绿灯', yellow: '黄灯', red: '红灯', grey: '灰灯' };

/** `已督办`; an unknown value (from an older or newer workflow) is shown as it is. */
export function statusName(status: string): string {
  return statusNames[status as DeliverableStatus] ?? status;
}

/** `红灯`, so a light never depends on colour alone. */
export function lightName(light: string): string {
  return lightNames[light as Light] ?? light;
}
