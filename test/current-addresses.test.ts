/** Mail to the addresses the plan lists now: the readdressing of a notice, and the sink that applies it. */
import { describe, expect, it } from 'vitest';
import { createAddressBooks, readdressed, withCurrentAddresses, type AddressBook } from '../activities/mail/current-addresses.ts';
import type { NotificationSink } from '../activities/notification-sink.ts';
import { sampleNotification, sampleUnits } from '../devtools/sample-notifications.ts';
import type { Notification, Recipient } from '../workflows/definitions.ts';

const book: AddressBook = new Map([
  ['zonghe', { name: '综合指导司', emails: ['zonghe.new@xinfang.example', 'zonghe.office@xinfang.example'] }],
  ['duchashi', { name: '督查督办室', emails: ['duchashi@xinfang.example'] }],
]);

describe('mail at the plan’s current addresses', () => {
  it('gives every recipient and named unit the address book’s name and mailboxes, and leaves units it does not list', () => {
    const notice = sampleNotification('escalation', { cc: [sampleUnits.duchashi] });
    const sent = readdressed(notice, book);
    expect(sent.to.map((r) => [r.unitId, r.emails])).toEqual([
      ['zonghe', ['zonghe.new@xinfang.example', 'zonghe.office@xinfang.example']], ['yanjiu', sampleUnits.yanjiu.emails],
    ]);
    expect(sent.cc.map((r) => r.name)).toEqual(['督查督办室']);
    expect(sent.deliverable!.units.map((r) => r.emails[0])).toEqual(['zonghe.new@xinfang.example', sampleUnits.yanjiu.emails[0]]);
    // The notice itself (its key, kind, context) is the same notice.
    expect({ ...sent, to: notice.to, cc: notice.cc, deliverable: notice.deliverable }).toEqual(notice);
  });

  it('readdresses what a sink is given, one notice or a unit’s batch of 交办通知, and passes on a notice whose plan has no book', async () => {
    const delivered: Notification[] = [];
    const batches: [Recipient, readonly Notification[]][] = [];
    const sink: NotificationSink = {
      deliver: async (n) => void delivered.push(n),
      deliverAssignments: async (unit, notices) => void batches.push([unit, notices]),
    };
    const addressed = withCurrentAddresses(sink, async (planId) => (planId === 'xinfang-2015' ? book : undefined));
    await addressed.deliver(sampleNotification('reminder'));
    await addressed.deliver({ ...sampleNotification('reminder'), planId: 'another' });
    expect(delivered.map((n) => n.to[0]!.emails[0])).toEqual(['zonghe.new@xinfang.example', sampleUnits.zonghe.emails[0]]);
    await addressed.deliverAssignments!(sampleUnits.zonghe, [sampleNotification('assignment')], 'batch-1');
    expect(batches[0]![0].emails).toEqual(['zonghe.new@xinfang.example', 'zonghe.office@xinfang.example']);
    expect(batches[0]![1][0]!.to[0]!.emails[0]).toBe('zonghe.new@xinfang.example');
  });

  it('knows no book outside an activity (no plan to ask), and asks again only after its time to live', async () => {
    let now = 0;
    let reads = 0;
    const books = createAddressBooks({ readPlan: async () => { reads += 1; throw new Error('not reached'); }, ttlMs: 1_000, now: () => now });
    const first = books('xinfang-2015');
    expect(books('xinfang-2015')).toBe(first);
    expect(await first).toBeUndefined();
    now = 999;
    expect(books('xinfang-2015')).toBe(first);
    now = 1_000;
    expect(books('xinfang-2015')).not.toBe(first);
    // The plan was never reached, so no snapshot was read.
    expect(reads).toBe(0);
  });
});
