/**
 * A province office's plan (a hand-written fixture supervised by 督查处, leadership 秘书长/分管副秘书长) run through
 * the simulation, every notice rendered as each addressee's mail, every page drawn: the office's own names
 * everywhere, and never another office's.
 */
import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { composeMail, type ComposedMail } from '../activities/mail/compose.ts';
import { loadPlanFile } from '../config/load-plan.ts';
import { officeNamesOf, organisationFromTitle } from '../config/office-names.ts';
import type { Plan } from '../config/plan-schema.ts';
import { parseScenarioText } from '../simulate/scenario.ts';
import { buildScript } from '../simulate/script.ts';
import { runSimulation, type SimulationResult } from '../simulate/run.ts';
import { simulationFigures } from '../simulate/summary.ts';
import { renderTimeline } from '../simulate/timeline-html.ts';
import { createConsoleAuth } from '../web/auth/console-auth.ts';
import { consoleAudienceOf, consoleUsersOf } from '../web/auth/console-users.ts';
import { SessionCodec } from '../web/auth/session.ts';
import { SignInTokens } from '../web/auth/sign-in-tokens.ts';
import { confirmations, dashboardPage } from '../web/console/dashboard-page.ts';
import { wholeBoard } from '../web/console/dashboard-board.ts';
import { detailPage } from '../web/console/detail-page.ts';
import { createLinkMaker } from '../web/links/link-maker.ts';
import { LinkSigner } from '../web/links/link-token.ts';
import { actionPage, resultPage } from '../web/pages/action-page.ts';
import type { Notification, Recipient } from '../workflows/definitions.ts';
import { memorySignInLedger } from './helpers/memory-sign-in-ledger.ts';

const planPath = new URL('./fixtures/plans/province-2026.yaml', import.meta.url).pathname;
const publicUrl = 'https://duban.province.example';
const keys = [{ id: 'p1', secret: 'qyMhRDt9YfimClYdH8_TAueJg28z1HG1vjhxLrKA' }];
/** Names of the national office whose plan duban first ran: none may leak into a province office's outputs. */
const foreign = ['督查室', '国家信访局', '局领导', '信访', '督查督办工作台的'];

const scenario = `others: on-time
deliverables:
  p01: never            # 综合处 leads, 相关业务处室 help; never confirmed: 督办 with the first overdue day, then 通报
  p02: late             # 督查处 leads its own item: its 督办 level is passed over, straight to 秘书长
  p03:
    extension: { request: 2026-05-20, to: 2026-06-30, approve: true }
  p04:
    accept: false       # every unit confirms (completion: all), 督查处 never accepts
  p05:
    escalate: { at: 2026-06-01, remark: 请加快评估进度 }
`;

interface Rendered { notice: Notification; recipient: Recipient; copy: boolean; mail: ComposedMail }

let plan: Plan;
let result: SimulationResult;
let mails: Rendered[];
let pictures: string[];

beforeAll(async () => {
  const loaded = await loadPlanFile(planPath);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  plan = loaded.plan;
  const parsed = parseScenarioText(scenario);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const built = buildScript(plan, parsed.scenario, parsed.locate);
  if (!built.ok) throw new Error(JSON.stringify(built.issues));
  result = await runSimulation({ plan, script: built.script, env: process.env });

  const links = createLinkMaker({ signer: new LinkSigner(keys), publicUrl, now: () => Date.parse('2026-01-05T01:00:00Z') });
  mails = result.notifications.flatMap((notice) => [
    ...notice.to.map((recipient) => ({ recipient, copy: false })),
    ...notice.cc.map((recipient) => ({ recipient, copy: true })),
  ].map(({ recipient, copy }) => ({
    notice, recipient, copy,
    mail: composeMail(notice, recipient, links(notice, recipient.unitId), { mailDomain: 'province.example', copy, organizer: { name: '督办系统', email: 'duban@province.example' } }),
  })));

  const session = { user: { email: 'duchachu@province.example', name: '督查处', roles: { [plan.id]: 'supervisor' as const } }, csrfToken: 'c0ffee'.repeat(5) + 'ab', expiresAt: Date.now() + 3_600_000 };
  const consolePlan = { id: plan.id, title: plan.title, units: plan.units.map((u) => ({ id: u.id, name: u.name })) };
  const frame = { base: '/console', session, plans: [consolePlan], plan: consolePlan };
  const ledger = memorySignInLedger(() => Date.now());
  const auth = createConsoleAuth({
    sessions: new SessionCodec(keys), signIn: new SignInTokens(keys, ledger), users: consoleUsersOf([plan]), audience: consoleAudienceOf([plan]), ledger,
    mailer: { send: async () => undefined }, publicUrl, now: () => Date.now(),
  });
  const signIn = await new Hono().route('/', auth.routes).request('/login');
  pictures = [
    renderTimeline(result, simulationFigures(result)),
    String(dashboardPage(frame, wholeBoard(result.deliverables, {}), {}, 2)),
    await signIn.text(),
    ...result.deliverables.flatMap((view) => [
      String(detailPage(frame, view)),
      ...view.units.flatMap((u) => (['confirm', 'progress', 'extension'] as const).map((action) => String(actionPage(view, u.unitId, action, '2026-06-01')))),
      String(resultPage(view, view.units[0]!.unitId, '已报告进展。', 'ok')),
    ]),
  ];
}, 300_000);

const textOf = ({ mail }: Rendered) => `${mail.subject}\n${mail.html}\n${mail.text}`;
const to = (unitId: string, kind: Notification['kind'], deliverableId?: string) =>
  mails.filter((m) => m.recipient.unitId === unitId && m.notice.kind === kind && (!deliverableId || m.notice.deliverable?.id === deliverableId));

describe('a province office’s plan', () => {
  it('takes its names from the plan: the organisation from the title, the supervisor, the top escalation level', () => {
    expect(officeNamesOf(plan)).toEqual({
      planTitle: 'XX省人民政府办公厅2026年重点工作督查督办计划', organisation: 'XX省人民政府办公厅', supervisor: '督查处', leadership: '秘书长、分管副秘书长',
    });
    expect(organisationFromTitle('2015 年信访工作要点')).toBe('');
    expect(organisationFromTitle('国家信访局 2015 年工作要点')).toBe('国家信访局');
    expect(officeNamesOf({ ...plan, organisation: 'YY市人民政府办公室' }).organisation).toBe('YY市人民政府办公室');
  });

  it('never names another office in any mail, page or picture', () => {
    expect(mails.length).toBeGreaterThan(100);
    for (const rendered of mails) {
      for (const word of foreign) expect(textOf(rendered), `${rendered.notice.key} to ${rendered.recipient.unitId}: ${word}`).not.toContain(word);
    }
    for (const page of pictures) for (const word of foreign) expect(page, word).not.toContain(word);
  });

  it('signs every unit’s notice with its organisation and supervisor, and reads its own names on pages and the picture', () => {
    for (const { mail, notice } of mails.filter((m) => ['assignment', 'reminder', 'overdue', 'escalation', 'completion'].includes(m.notice.kind))) {
      expect(mail.text, notice.key).toContain('\nXX省人民政府办公厅督查处\n');
    }
    const [timeline, , signIn] = pictures;
    expect(timeline).toContain('周报与年度总结（送督查处）');
    expect(timeline).toContain('督查处（模拟）');
    expect(signIn).toContain('仅限督查处及秘书长、分管副秘书长使用');
    expect(to('zonghechu', 'assignment')[0]!.mail.text).toContain('根据《XX省人民政府办公厅2026年重点工作督查督办计划》');
    expect(to('duchachu', 'digest')[0]!.mail.text).toContain('《XX省人民政府办公厅2026年重点工作督查督办计划》共6项督办事项');
    // 通报 reaches both leaders by name.
    const notice = to('zonghechu', 'escalation', 'p01').find((m) => m.notice.context.level === 2)!;
    expect(notice.mail.text).toContain('抄送：秘书长、分管副秘书长');
  });

  it('counts days overdue from 1 and sends one mail per unit for 超期 and 督办 falling at one instant', () => {
    const first = to('zonghechu', 'escalation', 'p01')[0]!;
    expect(first.notice.scheduledFor.slice(0, 10)).toBe('2026-04-01');
    expect(first.mail.subject).toContain('第1级');
    expect(first.mail.text).toContain('已超期1个工作日仍未办结，现予督办');
    expect(to('zonghechu', 'overdue', 'p01').filter((m) => m.notice.scheduledFor.startsWith('2026-04-01'))).toEqual([]);
    const perUnitInstant = new Map<string, number>();
    for (const m of mails) {
      const key = `${m.notice.workflowId} ${m.notice.scheduledFor} ${m.recipient.unitId}`;
      perUnitInstant.set(key, (perUnitInstant.get(key) ?? 0) + 1);
    }
    expect([...perUnitInstant].filter(([, count]) => count > 1)).toEqual([]);
  });

  it('widens repeated overdue notices: the cadence of 3, then 6, then 12 working days', () => {
    const days = to('zonghechu', 'overdue', 'p01').map((m) => m.notice.context.workingDaysOverdue);
    expect(days.slice(0, 5)).toEqual([4, 10, 22, 34, 46]);
  });

  it('under `completion: lead`, asks only the lead to confirm; 协办 units support it, with no confirm link', () => {
    const lead = to('zonghechu', 'assignment', 'p01')[0]!;
    expect(lead.mail.text).toContain('并通过下方链接确认完成');
    expect(lead.mail.text).toContain('确认完成：https://');
    for (const partner of ['jingjichu', 'shehuichu', 'zhengyanchu']) {
      const mail = to(partner, 'assignment', 'p01')[0]!.mail;
      expect(mail.text).toContain('请配合牵头单位综合处办理');
      expect(mail.text).toContain('你单位职责：协办单位（配合牵头单位办理，由牵头单位确认完成）');
      expect(mail.text).not.toContain('确认完成：https://');
      expect(mail.text).toContain('报告进展：https://');
      for (const reminder of to(partner, 'reminder', 'p01')) expect(reminder.mail.text).not.toContain('你单位尚未确认完成');
    }
    // Under `completion: all` every unit confirms its part.
    expect(to('shehuichu', 'assignment', 'p04')[0]!.mail.text).toContain('确认完成：https://');
    const p01 = result.deliverables.find((d) => d.deliverableId === 'p01')!;
    expect(confirmations(p01)).toBe('0/1已确认（牵头单位）');
    expect(confirmations(result.deliverables.find((d) => d.deliverableId === 'p04')!)).toBe('2/2已确认');
    // A 协办单位 that opens a confirm link anyway is told the lead confirms; the lead can confirm.
    const open = { ...p01, status: 'in_progress' as const };
    expect(String(actionPage(open, 'jingjichu', 'confirm', '2026-03-02'))).toContain('本事项由牵头单位确认完成，协办单位无需确认');
    expect(String(actionPage(open, 'zonghechu', 'confirm', '2026-03-02'))).toContain('<button type="submit">确认完成</button>');
  });

  it('tells the supervisor leading its own item to report to leadership, not to itself', () => {
    const mail = to('duchachu', 'escalation', 'p02')[0]!.mail;
    expect(mail.text).toContain('并将办理情况及时报告秘书长、分管副秘书长');
    expect(mail.text).not.toContain('报告督查处');
    expect(to('zonghechu', 'escalation', 'p01')[0]!.mail.text).toContain('并将办理情况及时报告督查处');
  });

  it('links every mail to the supervisor and leadership to the console page where they act', () => {
    const detail = (id: string) => `进入督办系统：${publicUrl}/console/plans/province-2026/deliverables/${id}`;
    expect(to('duchachu', 'confirmation', 'p04')[0]!.mail.text).toContain(detail('p04'));
    expect(to('duchachu', 'extension_request', 'p03')[0]!.mail.text).toContain(detail('p03'));
    expect(to('duchachu', 'escalation', 'p01')[0]!.mail.text).toContain(detail('p01'));
    expect(to('mishuzhang', 'escalation', 'p01')[0]!.mail.text).toContain(detail('p01'));
    expect(to('duchachu', 'digest')[0]!.mail.text).toContain(`进入督办系统：${publicUrl}/console/plans/province-2026\n`);
    // Units get their own signed links, never the console.
    for (const m of mails.filter((r) => r.recipient.unitId === 'zonghechu')) expect(m.mail.text).not.toContain('/console/');
  });

  it('writes in the register of an official notice: no spaces around numbers, one form of address, no weekday in the sign-off', () => {
    for (const { mail, notice } of mails) {
      const ownWords = mail.text.replaceAll(notice.deliverable?.title ?? '\u0000', '');
      expect(ownWords, notice.key).not.toMatch(/[\u4e00-\u9fff] \d|\d [\u4e00-\u9fff]/);
      expect(ownWords, notice.key).not.toContain('贵单位');
      expect(mail.text, notice.key).toMatch(/\n\d{4}年\d{1,2}月\d{1,2}日\n\n—— 本邮件由督办系统自动发送/);
      expect(mail.text, notice.key).not.toContain('province-2026）');
    }
  });
});
