/**
 * The console for 督查室: dashboard, deliverable pages with their actions, reports and CSV export. Mounted behind
 * sign-in (a session in `c.var.session`) and the anti-forgery check; thin handlers: parse with zod, call the
 * gateway, render.
 */
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { isIsoDate } from '../../domain/iso-date.ts';
import type { DeliverableStatusView } from '../../workflows/definitions.ts';
import { deliverableWorkflowId } from '../../workflows/definitions.ts';
import type { AttachmentStore } from '../attachments/attachment-store.ts';
import type { Session } from '../auth/session.ts';
import { attachmentDownload, attachmentRoute } from './attachment-routes.ts';
import { ActionRejectedError, DeliverableNotFoundError, StatusUnavailableError, inPlanOrder, type ConsoleGateway } from './console-gateway.ts';
import { consoleMessagePage, type ConsolePlan, type PageFrame } from './console-layout.ts';
import { consoleStylesheet, consoleStylesheetPath } from './console-style.ts';
import { attachmentDisposition } from './csv.ts';
import { dashboardBoard, describedUpTo, type BoardLimits } from './dashboard-board.ts';
import { createReportCache } from './report-cache.ts';
import { createListingCache, type Listing } from './listing-cache.ts';
import { dashboardPage, type DashboardFilter } from './dashboard-page.ts';
import { detailPage, type Flash } from './detail-page.ts';
import { reportPage } from './report-page.ts';
import { TemporalUnavailableError } from '../temporal-guard.ts';
import { planReport, reportCsv } from './report-stats.ts';
import type { PlanChanges } from '../../activities/plan-changes.ts';
import { changeDoneMessages, changeForms } from './change-forms.ts';
import { registerChangeRoutes } from './change-routes.ts';
import { mayTake, refusalOf, roleIn } from './roles.ts';
import { errorSummary } from '../error-summary.ts';

/** Hono variables of a signed-in console request (the same shape as the auth module's `ConsoleEnv`). */
export type ConsoleEnv = { Variables: { session: Session } };

export type { ConsolePlan };

/** What the console is built from; all given, nothing read from globals. */
export interface ConsoleRoutesOptions {
  readonly gateway: ConsoleGateway;
  /** The plans 督查室 supervises; the first is the landing page. */
  readonly plans: readonly ConsolePlan[];
  /** Wall clock, epoch milliseconds (report time stamps and file names). */
  readonly now: () => number;
  /** Where the routes are mounted, for links and redirects; default `/console`. */
  readonly basePath?: string;
  /** Zone of the report time stamps; default Asia/Shanghai. */
  readonly timezone?: string;
  /** Mid-year changes (临时交办, 调整责任单位, 重新打开); without them the console offers none. */
  readonly changes?: PlanChanges;
  /** Where 办结材料 are kept; without it they are listed but cannot be downloaded. */
  readonly attachments?: AttachmentStore;
  /** From what size the dashboard pages a plan, and its page size (defaults in `dashboard-board.ts`). */
  readonly board?: BoardLimits;
}

const lights = ['green', 'yellow', 'red', 'grey'] as const;
const maxLevel = 9;
const deliverableIdPattern = /^[\w.-]{1,64}$/;

const filterSchema = (unitIds: readonly string[]) => z.object({
  unit: z.string().refine((u) => u === '' || unitIds.includes(u), '未知的责任单位').optional(),
  light: z.enum(['', ...lights], { message: '灯色须为 green、yellow、red 或 grey' }).optional(),
  level: z.string().regex(/^\d?$/, '督办级别须为 0–9 的数字').optional(),
  ack: z.enum(['', 'none'], { message: '签收筛选须为 none' }).optional(),
  page: z.string().regex(/^\d{0,6}$/, '页码须为数字').optional(),
});

const text = (what: string) => z.string().trim().min(1, `请填写${what}`).max(2000, `${what}不能超过 2000 字`);
const csrf = { _csrf: z.string().optional() };
const date = z.string().trim().refine(isIsoDate, '请填写有效的日期（YYYY-MM-DD）');

/** The actions a form can post, their form schema and what they say when done. */
const forms = {
  escalate: z.object({ ...csrf, remark: text('督办意见') }).strict(),
  extension: z.object({
    ...csrf,
    decision: z.enum(['approve', 'deny', 'direct'], { message: '请选择批准或驳回' }),
    to: z.union([z.literal('').transform(() => undefined), date]).optional(),
    reason: text('理由或审批意见'),
  }).strict().refine((f) => f.decision !== 'direct' || f.to !== undefined, { message: '直接延期须填写新期限', path: ['to'] }),
  accept: z.object({ ...csrf, note: z.string().trim().max(2000, '验收意见不能超过 2000 字').optional() }).strict(),
  reject: z.object({ ...csrf, reason: text('退回理由') }).strict(),
  cancel: z.object({ ...csrf, reason: text('撤销原因') }).strict(),
  'milestone-done': z.object({ ...csrf, milestone: z.string().trim().min(1, '请选择节点').max(64) }).strict(),
  'milestone-extend': z.object({ ...csrf, milestone: z.string().trim().min(1, '请选择节点').max(64), to: date, reason: text('调整理由') }).strict(),
  instruct: z.object({ ...csrf, text: text('批示内容') }).strict(),
};
type FormAction = keyof typeof forms;

/** Flash messages after a redirect, by the `done` query value. */
const doneMessages: Record<string, string> = {
  escalate: '已督办，督办通知已发送给责任单位。',
  'extension-approve': '已批准延期，期限已调整。',
  'extension-deny': '已驳回延期申请。',
  'extension-direct': '已直接延期，期限已调整。',
  accept: '已验收通过，事项办结。',
  reject: '已退回，责任单位将收到退回通知。',
  cancel: '已撤销。',
  'milestone-done': '已标记节点完成，该节点不再提醒。',
  'milestone-extend': '已调整节点期限，该节点的提醒按新期限重新安排。',
  instruct: '已批示，批示已发送给责任单位，答复后将在此显示。',
  ...changeDoneMessages,
};
const actionNames: Record<FormAction, string> = {
  escalate: '督办', extension: '办理延期', accept: '验收', reject: '退回', cancel: '撤销', instruct: '批示',
  'milestone-done': '标记节点完成', 'milestone-extend': '调整节点期限',
};

/** The console's routes; bad options fail here, not per request. */
export function createConsoleRoutes({ gateway, plans, now, basePath = '/console', timezone = 'Asia/Shanghai', attachments, changes, board: limits }: ConsoleRoutesOptions): Hono<ConsoleEnv> {
  if (plans.length === 0) throw new RangeError('the console needs at least one plan');
  const ids = new Set<string>();
  for (const plan of plans) {
    if (!/^[\w.-]+$/.test(plan.id)) throw new RangeError(`not a plan id: "${plan.id}"`);
    if (ids.has(plan.id)) throw new RangeError(`plan "${plan.id}" is listed twice`);
    ids.add(plan.id);
  }
  if (!DateTime.local().setZone(timezone).isValid) throw new RangeError(`unknown time zone "${timezone}"`);
  const base = basePath.replace(/\/+$/, '');
  const app = new Hono<ConsoleEnv>();
  const listing = createListingCache((planId) => gateway.listDeliverableRows(planId), now);

  const frame = (c: Context<ConsoleEnv>, plan?: ConsolePlan): PageFrame => ({ base, session: c.var.session, plans, ...(plan ? { plan } : {}) });
  const planOf = (c: Context<ConsoleEnv>): ConsolePlan => {
    const plan = plans.find((p) => p.id === c.req.param('planId'));
    if (!plan) throw new HTTPException(404, { message: '没有这个工作计划。' });
    return plan;
  };
  const workflowIdOf = (c: Context<ConsoleEnv>, plan: ConsolePlan): string => {
    const id = c.req.param('deliverableId') ?? '';
    if (!deliverableIdPattern.test(id)) throw new HTTPException(404, { message: '没有这个事项。' });
    return deliverableWorkflowId(plan.id, id);
  };
  const statusOf = async (workflowId: string): Promise<DeliverableStatusView> => {
    const view = await gateway.status(workflowId);
    if (!view) throw new HTTPException(404, { message: '没有这个事项，或它已被删除。' });
    return view;
  };
  const detailUrl = (plan: ConsolePlan, view: { deliverableId: string }) =>
    `${base}/plans/${encodeURIComponent(plan.id)}/deliverables/${encodeURIComponent(view.deliverableId)}`;
  const actor = (session: Session) => {
    const full = `${session.user.name}（${session.user.email}）`;
    return full.length <= 100 ? full : session.user.name.slice(0, 100);
  };

  app.get(consoleStylesheetPath, (c) => c.body(consoleStylesheet, 200, { 'Content-Type': 'text/css; charset=utf-8' }));

  // Roles (web/console/roles.ts): a plan is seen only with a role in it, and every POST under a plan is an action
  // the role must be allowed, whatever the form says; checked before any body is parsed or any update sent.
  app.use('/plans/:planId/*', async (c, next) => {
    const planId = c.req.param('planId') ?? '';
    const role = roleIn(c.var.session, planId);
    if (plans.some((p) => p.id === planId) && role === undefined) throw new HTTPException(403, { message: refusalOf(role, '') });
    const changing = c.req.method !== 'GET' && c.req.method !== 'HEAD';
    if (changing) {
      const action = c.req.path.split('/').at(-1) ?? '';
      if (!mayTake(role, action)) throw new HTTPException(403, { message: refusalOf(role, actionNames[action as FormAction] ?? action) });
    }
    await next();
    // Whatever it did (or failed halfway through), the dashboard after it lists the plan afresh, and asks the item.
    if (changing) listing.forget(planId, changedItem(planId, c.req.path));
  });

  app.get('/', (c) => {
    const first = plans.find((p) => roleIn(c.var.session, p.id) !== undefined) ?? plans[0]!;
    return c.redirect(`${base}/plans/${encodeURIComponent(first.id)}`, 302);
  });

  app.get('/plans/:planId', async (c) => {
    const plan = planOf(c);
    const parsed = filterSchema(plan.units.map((u) => u.id)).safeParse(c.req.query());
    if (!parsed.success) throw new HTTPException(400, { message: `筛选条件无效：${parsed.error.issues.map((i) => i.message).join('；')}` });
    const { unit, light, level, ack, page } = parsed.data;
    const filter: DashboardFilter = {
      ...(unit ? { unit } : {}), ...(light ? { light } : {}), ...(level ? { level: Number(level) } : {}), ...(ack === 'none' ? { unacknowledged: true } : {}),
    };
    const board = await dashboardBoard(gateway, await listing.rows(plan.id), plan.units, filter, Number(page || 1), limits);
    const levels = board.all.reduce((most, v) => Math.max(most, v.escalationLevel), 3);
    return c.html(dashboardPage({ ...frame(c, plan), plan }, board, filter, Math.min(levels, maxLevel), now(), changes !== undefined && mayTake(roleIn(c.var.session, plan.id), 'add')));
  });

  app.get('/plans/:planId/deliverables/:deliverableId', async (c) => {
    const plan = planOf(c);
    const view = await statusOf(workflowIdOf(c, plan));
    const done = c.req.query('done');
    const flash: Flash | undefined = done && doneMessages[done] ? { tone: 'ok', message: doneMessages[done] } : undefined;
    return c.html(detailPage({ ...frame(c, plan), plan }, view, flash, changes ? changeForms({ ...frame(c, plan), plan }, view) : []));
  });

  if (attachments) app.get(attachmentRoute, async (c) => attachmentDownload(c, await statusOf(workflowIdOf(c, planOf(c))), attachments));
  if (changes) {
    registerChangeRoutes(app, {
      changes, planOf, statusOf, workflowIdOf, frame: (c, plan) => ({ ...frame(c, plan), plan }),
      deliverableIdOf: (c) => c.req.param('deliverableId') ?? '',
      detailUrl: (plan, deliverableId) => detailUrl(plan, { deliverableId }),
      detail: (c, plan, view, flash) => detailPage({ ...frame(c, plan), plan }, view, flash, changeForms({ ...frame(c, plan), plan }, view)),
      actor: (c) => actor(c.var.session),
    });
  }

  // Bodies are limited before any middleware reads them (formBodyGuard in the app).
  app.post('/plans/:planId/deliverables/:deliverableId/:action',
    async (c) => {
      const plan = planOf(c);
      const workflowId = workflowIdOf(c, plan);
      const action = c.req.param('action');
      if (!Object.hasOwn(forms, action)) throw new HTTPException(404, { message: '没有这个操作。' });
      const name = action as FormAction;
      const refused = async (status: 400 | 409, message: string) =>
        c.html(detailPage({ ...frame(c, plan), plan }, await statusOf(workflowId), { tone: 'warn', message: `未能${actionNames[name]}：${message}` }), status);

      const parsed = forms[name].safeParse(await c.req.parseBody());
      if (!parsed.success) return refused(400, parsed.error.issues.map((i) => i.message).join('；'));
      const by = actor(c.var.session);
      let done: string = name;
      try {
        switch (name) {
          case 'escalate': {
            const form = parsed.data as z.infer<typeof forms.escalate>;
            await gateway.escalate(workflowId, { remark: form.remark, by });
            break;
          }
          case 'extension': {
            const form = parsed.data as z.infer<typeof forms.extension>;
            await gateway.decideExtension(workflowId, {
              approved: form.decision !== 'deny', reason: form.reason, by, ...(form.decision !== 'deny' && form.to ? { to: form.to } : {}),
            });
            done = `extension-${form.decision}`;
            break;
          }
          case 'accept': {
            const form = parsed.data as z.infer<typeof forms.accept>;
            await gateway.accept(workflowId, { by, ...(form.note ? { note: form.note } : {}) });
            break;
          }
          case 'reject': {
            const form = parsed.data as z.infer<typeof forms.reject>;
            await gateway.reject(workflowId, { by, reason: form.reason });
            break;
          }
          case 'cancel': {
            const form = parsed.data as z.infer<typeof forms.cancel>;
            await gateway.cancel(workflowId, { by, reason: form.reason });
            break;
          }
          case 'milestone-done': {
            const form = parsed.data as z.infer<(typeof forms)['milestone-done']>;
            await gateway.completeMilestone(workflowId, { milestoneId: form.milestone, by });
            break;
          }
          case 'milestone-extend': {
            const form = parsed.data as z.infer<(typeof forms)['milestone-extend']>;
            await gateway.extendMilestone(workflowId, { milestoneId: form.milestone, to: form.to, reason: form.reason, by });
            break;
          }
          case 'instruct': {
            const form = parsed.data as z.infer<typeof forms.instruct>;
            await gateway.instruct(workflowId, { by, text: form.text });
            break;
          }
        }
        return c.redirect(`${detailUrl(plan, { deliverableId: c.req.param('deliverableId')! })}?done=${done}`, 303);
      } catch (err) {
        if (err instanceof ActionRejectedError) return refused(409, err.message);
        // A closed workflow takes no updates; if it still answers its query, say so rather than "not found".
        if (err instanceof DeliverableNotFoundError) return refused(409, '该事项已结束，不能再办理此操作。');
        throw err;
      }
    });

  // Every listed item asked its status: the report shows each one's details.
  const reportOf = async (plan: ConsolePlan, rows: Listing['rows']) =>
    planReport({ ...plan, timezone: plan.timezone ?? timezone }, inPlanOrder(await gateway.describeDeliverables(rows)));
  // The build reuses the listing the request that started it just made.
  const reports = createReportCache(async (planId) => reportOf(plans.find((p) => p.id === planId)!, (await listing.rows(planId)).rows), now);
  const stamp = (at = now()) => DateTime.fromMillis(at, { zone: timezone });
  /**
   * The plan's report and when it was made: a small plan's built now; a large one's kept (`report-cache.ts`), or,
   * while the first is being built, a page saying so (202, or 503 for the CSV, with Retry-After).
   */
  const report = async (c: Context<ConsoleEnv>, plan: ConsolePlan, csv: boolean) => {
    const { rows } = await listing.rows(plan.id);
    if (rows.length <= (limits?.describedUpTo ?? describedUpTo)) return { report: await reportOf(plan, rows), made: stamp().toFormat('yyyy-MM-dd HH:mm') };
    const { kept, building } = reports.state(plan.id);
    if (!kept) {
      const message = `本计划共${rows.length}项，统计报表正在后台生成（每项查询一次，可能需要几分钟），请稍后刷新本页。`;
      return c.html(consoleMessagePage(frame(c, plan), '报表生成中', message, 'warn'), csv ? 503 : 202, { 'Retry-After': '30', ...(csv ? {} : { Refresh: '30' }) });
    }
    return { report: kept.report, made: `${stamp(kept.at).toFormat('yyyy-MM-dd HH:mm')}${building ? '（新报表生成中）' : ''}` };
  };

  app.get('/plans/:planId/report', async (c) => {
    const plan = planOf(c);
    const made = await report(c, plan, false);
    if (made instanceof Response) return made;
    const { total, units, deliverables } = made.report;
    return c.html(reportPage({ ...frame(c, plan), plan }, total, units, deliverables, made.made));
  });

  app.get('/plans/:planId/report.csv', async (c) => {
    const plan = planOf(c);
    const made = await report(c, plan, true);
    if (made instanceof Response) return made;
    const day = stamp().toISODate()!;
    const csv = reportCsv(plan.title, made.made, made.report);
    return c.body(csv, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': attachmentDisposition(`duban-report-${plan.id}-${day}.csv`, `${plan.title}督办统计-${day}.csv`),
    });
  });

  app.onError((err, c) => {
    const plan = plans.find((p) => p.id === c.req.param('planId'));
    if (err instanceof HTTPException) {
      return c.html(consoleMessagePage(frame(c, plan), err.status === 404 ? '未找到' : '无法办理', err.message), err.status);
    }
    if (err instanceof StatusUnavailableError) return c.html(consoleMessagePage(frame(c, plan), '暂时无法查询', err.message), 503);
    if (err instanceof TemporalUnavailableError) return c.html(consoleMessagePage(frame(c, plan), '暂时无法连接', err.message), 503, { 'Retry-After': '30' });
    console.error('console: unexpected error', errorSummary(err));
    return c.html(consoleMessagePage(frame(c, plan), '系统错误', '系统暂时无法处理您的请求，请稍后再试。'), 500);
  });
  return app;
}

/** The workflow id of the item a console path acts on (`…/deliverables/<id>/<action>`), when it names one. */
function changedItem(planId: string, path: string): string | undefined {
  const id = /\/deliverables\/([^/]+)\/[^/]+$/.exec(path)?.[1];
  if (id === undefined) return undefined;
  try {
    return deliverableWorkflowId(planId, decodeURIComponent(id));
  } catch {
    return undefined;
  }
}
