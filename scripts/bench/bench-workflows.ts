/** The floors the scale bench measures duban against: workflows that do nothing but what Temporal itself costs. */
import { condition, defineQuery, defineUpdate, proxyActivities, setHandler, sleep, upsertSearchAttributes } from '@temporalio/workflow';
import { statusAttribute } from '../../workflows/search-attributes.ts';

/** A no-op update: answers at once. */
export const pingUpdate = defineUpdate<string, [string]>('ping');

/** A no-op update that also starts one no-op activity, without waiting for it: the least an action that mails costs. */
export const pingAndNotifyUpdate = defineUpdate<string, [string]>('pingAndNotify');

/** As {@link pingAndNotifyUpdate}, and the workflow shows a new state in a search attribute, as a confirmation does. */
export const pingNotifyAndShowUpdate = defineUpdate<string, [string]>('pingNotifyAndShow');

/**
 * A no-op update that shows a new state in a search attribute and starts nothing: one workflow task and one upsert,
 * the shape of a confirmation whose 完成确认 waits for its plan's round.
 */
export const pingAndShowUpdate = defineUpdate<string, [string]>('pingAndShow');

/** A no-op query: what a page that shows an item's state costs Temporal at least. */
export const pingQuery = defineQuery<string>('ping');

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '1 minute' });

/** Stays open (like a deliverable waiting for its next notice), answers `ping`, `pingAndNotify`, `pingNotifyAndShow` and `pingAndShow`, and the `ping` query. */
export async function noopWorkflow(): Promise<void> {
  setHandler(pingQuery, () => 'pong');
  setHandler(pingUpdate, (text) => text);
  setHandler(pingAndNotifyUpdate, (text) => {
    void noop();
    return text;
  });
  setHandler(pingNotifyAndShowUpdate, (text) => {
    void noop();
    upsertSearchAttributes([{ key: statusAttribute, value: text }]);
    return text;
  });
  setHandler(pingAndShowUpdate, (text) => {
    upsertSearchAttributes([{ key: statusAttribute, value: text }]);
    return text;
  });
  await condition(() => false, '400 days');
}

/** A year of `notices` timers each followed by one activity: the least history a deliverable's year of notices can cost. */
export async function noopYearWorkflow(notices: number): Promise<void> {
  for (let i = 0; i < notices; i++) {
    await sleep('1 day');
    await noop();
  }
}

/** Waits for `at` (epoch ms, the burst instant), then runs one activity per unit: the least a reminder can cost. */
export async function noopReminderWorkflow(at: number, units: number): Promise<void> {
  await sleep(Math.max(1, at - Date.now()));
  await Promise.all(Array.from({ length: units }, () => noop()));
}
