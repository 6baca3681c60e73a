/** An item that mails its own notices hands them to the mail activity packed: each recipient once in its history. */
import { describe, expect, it } from 'vitest';
import type { Recipient } from '../workflows/definitions.ts';
import { beijing, useDeliverableHarness } from './helpers/deliverable-harness.ts';

const harness = useDeliverableHarness();

/** 100 county offices, two addresses each: an item sent to every county of a province. */
const counties: Recipient[] = Array.from({ length: 100 }, (_, i) => ({
  unitId: `county-${i + 1}`, name: `某某县人民政府办公室${i + 1}`, emails: [`county${i + 1}@gov.example`, `county${i + 1}-b@gov.example`],
}));

describe('an item’s own notices on their way to the mailer', () => {
  it('are scheduled packed (each of 101 units written once) and mailed whole', async () => {
    // d10: 综合指导司 leads with 办公室, due 30 September 2015; here the counties are added after them.
    const run = await harness().startDeliverable('d10', beijing('2015-09-21 10:00'), (input) => ({ ...input, units: [...input.units, ...counties] }));
    await run.runUntil(beijing('2015-09-28 12:00'));
    const reminder = await run.delivered('reminder');
    expect(reminder.deliverable!.units).toHaveLength(102);
    expect(reminder.to.map((r) => r.unitId)).toContain('county-100');
    expect(reminder.to.find((r) => r.unitId === 'county-7')).toEqual(counties[6]);

    const events = (await run.handle.fetchHistory()).events ?? [];
    const inputs = events
      .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'deliverNotification')
      .map((e) => Buffer.from(e.activityTaskScheduledEventAttributes!.input!.payloads![0]!.data!).toString('utf8'));
    expect(inputs.length).toBeGreaterThan(0);
    for (const input of inputs) {
      // Each county's address once, in the numbered recipients; the notice names them by number.
      expect(input.split('county7@gov.example').length - 1).toBe(1);
      expect(JSON.parse(input)).toHaveProperty('recipients');
    }
    // Whole, the reminder names every unit twice (its addressees and the item's units).
    const scheduled = inputs.map((input) => Buffer.byteLength(input));
    expect(Math.max(...scheduled)).toBeLessThan(Buffer.byteLength(JSON.stringify(reminder)) * 0.6);
  });
});
