/**
 * What a plan's start costs duban's worker in its own code, per item, at several plan sizes: opening each item (its
 * input, attributes and 交办通知, as the start activity does), building each queued 交办通知 back from its reference
 * (once per unit, as the units' mail activities do), and composing and encoding every unit's combined 交办通知 mail
 * (signed links, HTML, text, calendar, MIME; nodemailer's stream transport, so no SMTP: the burst row of
 * `npm run bench` times a real server). Figures that grow with the plan's size are work that is not linear. No server.
 * Run: `npm run bench:assignments` (`-- --items 1000,10000` for other sizes).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import nodemailer from 'nodemailer';
import { assignmentNotices } from '../../activities/assignment-refs.ts';
import { itemOpening } from '../../activities/item-opening.ts';
import { createEmailSink } from '../../activities/mail/email-sink.ts';
import type { Plan } from '../../config/plan-schema.ts';
import { createLinkMaker } from '../../web/links/link-maker.ts';
import { LinkSigner, parseLinkKeys } from '../../web/links/link-token.ts';
import { planWorkflowId, type ItemStartContext, type QueuedAssignment, type Recipient } from '../../workflows/definitions.ts';
import { syntheticPlan } from './synthetic-plan.ts';

/** A unit's mail lists at most this many items: about what one batch of a 10,000-item start held (bench, 2026-12-02). */
const itemsPerMail = 170;

interface Figures { items: number; openMs: number; refs: number; rebuildMs: number; mails: number; mailMs: number }

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { items: { type: 'string', default: '1000,3000,10000' } } });
  const sizes = values.items.split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--items: expected item counts such as 1000,3000, got "${values.items}"`);
  const rows: Figures[] = [];
  for (const items of sizes) {
    process.stdout.write(`${items} items: `);
    rows.push(await measure(await syntheticPlan(items)));
    console.log('done');
  }
  console.log('\n| items | opening an item | a 交办通知 built back from its reference | a listed 交办通知 mailed | worker CPU, all of it |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) {
    const total = (r.openMs + r.rebuildMs + r.mailMs) / 1000;
    console.log(`| ${r.items} | ${(r.openMs / r.items).toFixed(3)} ms | ${(r.rebuildMs / r.refs).toFixed(3)} ms (${r.refs} references) | ${(r.mailMs / r.refs).toFixed(3)} ms (${r.mails} mails) | ${total.toFixed(1)} s |`);
  }
}

async function measure(plan: Plan): Promise<Figures> {
  const now = Date.now();
  // The plan's rounds send at its send hour, as `planWorkflowInput` gives it.
  const start: ItemStartContext = { planRef: 'bench', planWorkflowId: planWorkflowId(plan.id), clockOffsetMs: 0, noticeRounds: { sendHour: plan.policy.sendHour } };
  const byUnit = new Map<string, { unit: Recipient; queued: QueuedAssignment[] }>();
  let began = performance.now();
  for (const { id } of plan.deliverables) {
    const { workflowId, assignment } = itemOpening(plan, start, id, now, { queueAssignment: true });
    for (const unit of assignment!.to) {
      const entry = byUnit.get(unit.unitId) ?? { unit, queued: [] };
      entry.queued.push({ key: assignment!.key, workflowId, deliverableId: id, queuedAt: now, start });
      byUnit.set(unit.unitId, entry);
    }
  }
  const openMs = performance.now() - began;
  process.stdout.write('opened, ');

  began = performance.now();
  const lists: { unit: Recipient; notices: Awaited<ReturnType<typeof assignmentNotices>> }[] = [];
  for (const { unit, queued } of byUnit.values()) lists.push({ unit, notices: await assignmentNotices(queued, async () => plan) });
  const rebuildMs = performance.now() - began;
  const refs = lists.reduce((n, l) => n + l.notices.length, 0);
  process.stdout.write('built back, ');

  const sink = createEmailSink({
    transport: nodemailer.createTransport({ streamTransport: true, buffer: true }), from: '督办系统 <duban@bench.example>', mailDomain: 'bench.example',
    links: createLinkMaker({ signer: new LinkSigner(parseLinkKeys(`bench:${randomBytes(32).toString('hex')}`)), publicUrl: 'http://127.0.0.1:9', now: Date.now }),
    coalesce: false,
  });
  let mails = 0;
  began = performance.now();
  for (const { unit, notices } of lists) {
    for (let i = 0; i < notices.length; i += itemsPerMail) {
      await sink.deliverAssignments!(unit, notices.slice(i, i + itemsPerMail), `bench-${unit.unitId}-${i}`);
      mails += 1;
    }
  }
  const mailMs = performance.now() - began;
  process.stdout.write('mailed: ');
  return { items: plan.deliverables.length, openMs, refs, rebuildMs, mails, mailMs };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
