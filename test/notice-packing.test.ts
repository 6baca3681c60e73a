/** An item's published notices as its memo keeps them: packed, read back whole, and memos written before packing still read. */
import { describe, expect, it } from 'vitest';
import { deliverableInput } from '../config/plan-inputs.ts';
import type { Plan } from '../config/plan-schema.ts';
import { noticesDueMemoKey, type Notification, type NoticesDue } from '../workflows/definitions.ts';
import { openingStart } from '../workflows/deliverable-attributes.ts';
import { deliveredNotice, noticesKey, noticesMemo, packNotice, packNotices, publishedNotices, unpackNotices, type PackedNotice } from '../workflows/notice-packing.ts';
import { beijing } from './helpers/deliverable-harness.ts';
import { shippedPlan } from './helpers/shipped-machine.ts';

/** The shipped plan with its first item (three milestones) sent to `counties` more units, each with two addresses. */
function widened(counties: number): Plan {
  const units = Array.from({ length: counties }, (_, i) => ({
    id: `county-${i + 1}`, name: `某某县人民政府办公室${i + 1}`, emails: [`county${i + 1}@gov.example`, `county${i + 1}-b@gov.example`],
  }));
  return {
    ...shippedPlan, units: [...shippedPlan.units, ...units],
    deliverables: shippedPlan.deliverables.map((d, i) => (i === 0 ? { ...d, units: [d.units[0]!, ...units.map((u) => u.id)] } : d)),
  };
}

/** What the first item of `plan`, started at `now` in notice rounds, publishes with its start (as the plan's starter gives it). */
function publishedAt(plan: Plan, now: number): NoticesDue {
  const input = { ...deliverableInput(plan, plan.deliverables[0]!.id), noticeRounds: true };
  return publishedNotices(openingStart(`${plan.id}/${input.deliverableId}`, input, now).memo)!;
}

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

describe('an item’s published notices in its memo', () => {
  // Started months after the item and its milestones were due: an escalation for each, each addressing its units.
  const due = publishedAt(widened(100), beijing('2016-03-01 08:00'));

  it('reads back as the notices published, every recipient and shared field in place', () => {
    expect(due.notices.length).toBeGreaterThan(1);
    const memo = JSON.parse(JSON.stringify(noticesMemo(due))) as Record<string, unknown>;
    expect(publishedNotices(memo)).toEqual(due);
    expect(noticesKey(publishedNotices(memo)!.notices)).toBe(noticesKey(due.notices));
  });

  it('writes each of 101 units once: under a third of the notices written out', () => {
    expect(due.notices[0]!.deliverable!.units).toHaveLength(101);
    const packed = packNotices(due);
    expect(packed.recipients.length).toBeLessThan(101 + 5);
    expect(bytes(packed)).toBeLessThan(bytes(due) / 3);
  });

  it('keeps what differs between notices on each notice', () => {
    const [first] = due.notices;
    const other: Notification = { ...first!, key: `${first!.key}-other`, to: [first!.cc[0]!], cc: [], context: { stage: '提醒', workingDaysLeft: 3 } };
    const mixed: NoticesDue = { at: due.at, notices: [first!, other] };
    expect(unpackNotices(packNotices(mixed))).toEqual(mixed);
    expect(Object.keys(packNotices(mixed).shared)).not.toContain('to');
  });

  it('round-trips notices without an item, and a single notice', () => {
    const digest: Notification = {
      key: 'p#digest-1', kind: 'digest', planId: 'p', workflowId: 'p', to: [{ unitId: 'duchashi', name: '督查室', emails: ['d@example.org'] }], cc: [],
      scheduledFor: '2026-12-07T09:00:00.000+08:00', timezone: 'Asia/Shanghai', context: {},
    };
    const single: NoticesDue = { at: 1, notices: [digest] };
    expect(unpackNotices(packNotices(single))).toEqual(single);
  });

  it('reads a memo an item wrote before packing as it stands, and none from a memo without one', () => {
    expect(publishedNotices({ [noticesDueMemoKey]: due })).toBe(due);
    expect(publishedNotices({})).toBeUndefined();
    expect(publishedNotices(undefined)).toBeUndefined();
  });

  it('counts the same notices as the same publication whatever their fields’ order', () => {
    const reordered = due.notices.map((n) => Object.fromEntries(Object.entries(n).reverse()) as unknown as Notification);
    expect(noticesKey(reordered)).toBe(noticesKey(due.notices));
    expect(noticesKey(due.notices.slice(1))).not.toBe(noticesKey(due.notices));
  });
});

describe('a notice handed to the mail activity', () => {
  // The item's own escalation, addressed to its 101 units (who are also listed as the item's).
  const escalation = publishedAt(widened(100), beijing('2016-03-01 08:00')).notices.at(-1);

  it('arrives whole, every recipient in place, in under 60% of the bytes (26 KB to 14 KB)', () => {
    expect(escalation!.to).toHaveLength(101);
    const packed = JSON.parse(JSON.stringify(packNotice(escalation!))) as PackedNotice;
    expect(deliveredNotice(packed)).toEqual(escalation);
    expect(bytes(packed)).toBeLessThan(bytes(escalation) * 0.6);
  });

  it('is taken as it stands when an item scheduled it whole, before packing', () => {
    expect(deliveredNotice(escalation!)).toBe(escalation);
  });
});
