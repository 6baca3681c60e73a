/**
 * The console's routes for mid-year changes: 临时交办, 调整责任单位, 重新打开, 新增/删除分解节点. Registered by the console routes
 * (behind sign-in and the anti-forgery check); thin handlers: parse with zod, call the plan changes, redirect.
 */
import type { Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodType } from 'zod';
import { PlanChangeError, type PlanChanges } from '../../activities/plan-changes.ts';
import type { DeliverableStatusView } from '../../workflows/definitions.ts';
import type { ConsoleEnv } from './routes.ts';
import type { ConsolePlan, Html, PageFrame } from './console-layout.ts';
import { addItemForm, addItemPage, milestoneAddForm, milestoneRemoveForm, reopenForm, unitsForm } from './change-forms.ts';
import type { Flash } from './detail-page.ts';
import { mayTake, refusalOf, roleIn } from './roles.ts';

/** What the change routes borrow from the console routes. */
export interface ChangeRouteContext {
  readonly changes: PlanChanges;
  readonly frame: (c: Context<ConsoleEnv>, plan: ConsolePlan) => PageFrame & { plan: ConsolePlan };
  readonly planOf: (c: Context<ConsoleEnv>) => ConsolePlan;
  readonly deliverableIdOf: (c: Context<ConsoleEnv>) => string;
  readonly statusOf: (workflowId: string) => Promise<DeliverableStatusView>;
  readonly workflowIdOf: (c: Context<ConsoleEnv>, plan: ConsolePlan) => string;
  readonly detailUrl: (plan: ConsolePlan, deliverableId: string) => string;
  readonly detail: (c: Context<ConsoleEnv>, plan: ConsolePlan, view: DeliverableStatusView, flash: Flash) => Html;
  readonly actor: (c: Context<ConsoleEnv>) => string;
}

/** Adds the change routes to the console app (before its generic action route, which would answer 404). */
export function registerChangeRoutes(app: Hono<ConsoleEnv>, ctx: ChangeRouteContext): void {
  const tasksOf = async (plan: ConsolePlan) => {
    try {
      return (await ctx.changes.running(plan.id)).plan.tasks;
    } catch (err) {
      if (err instanceof PlanChangeError) throw new HTTPException(409, { message: err.message });
      throw err;
    }
  };
  const parse = async <T>(c: Context<ConsoleEnv>, schema: ZodType<T>) => {
    const parsed = schema.safeParse(await c.req.parseBody({ all: true }));
    return parsed.success ? { ok: true as const, data: parsed.data } : { ok: false as const, message: parsed.error.issues.map((i) => i.message).join('；') };
  };

  app.get('/plans/:planId/add', async (c) => {
    const plan = ctx.planOf(c);
    // Only 督查 adds items (its POST is refused to others by the console's role check); others are not shown the form.
    const role = roleIn(c.var.session, plan.id);
    if (!mayTake(role, 'add')) throw new HTTPException(403, { message: refusalOf(role, '临时交办') });
    return c.html(addItemPage(ctx.frame(c, plan), await tasksOf(plan)));
  });

  app.post('/plans/:planId/add', async (c) => {
    const plan = ctx.planOf(c);
    const form = await parse(c, addItemForm);
    const refuse = async (status: 400 | 409, message: string) => c.html(addItemPage(ctx.frame(c, plan), await tasksOf(plan), `未能交办：${message}`), status);
    if (!form.ok) return refuse(400, form.message);
    try {
      const id = await ctx.changes.addItem(plan.id, form.data);
      return c.redirect(`${ctx.detailUrl(plan, id)}?done=added`, 303);
    } catch (err) {
      if (err instanceof PlanChangeError) return refuse(409, err.message);
      throw err;
    }
  });

  const change = <T>(name: string, verb: string, schema: ZodType<T>, act: (plan: ConsolePlan, id: string, form: T, by: string) => Promise<void>) =>
    app.post(`/plans/:planId/deliverables/:deliverableId/${name}`, async (c) => {
      const plan = ctx.planOf(c);
      const workflowId = ctx.workflowIdOf(c, plan);
      const id = ctx.deliverableIdOf(c);
      const refuse = async (status: 400 | 409, message: string) =>
        c.html(ctx.detail(c, plan, await ctx.statusOf(workflowId), { tone: 'warn', message: `未能${verb}：${message}` }), status);
      const form = await parse(c, schema);
      if (!form.ok) return refuse(400, form.message);
      try {
        await act(plan, id, form.data, ctx.actor(c));
        return c.redirect(`${ctx.detailUrl(plan, id)}?done=${name}`, 303);
      } catch (err) {
        if (err instanceof PlanChangeError) return refuse(409, err.message);
        throw err;
      }
    });

  change('units', '调整责任单位', unitsForm, (plan, id, form, by) => ctx.changes.changeUnits(plan.id, id, form.units, { by, reason: form.reason }));
  change('reopen', '重新打开', reopenForm, (plan, id, form, by) => ctx.changes.reopen(plan.id, id, { due: form.due, reason: form.reason, by }));
  change('milestone-add', '新增分解节点', milestoneAddForm, (plan, id, { reason, ...added }, by) => ctx.changes.changeMilestones(plan.id, id, { kind: 'add', ...added }, { by, reason }));
  change('milestone-remove', '删除分解节点', milestoneRemoveForm, (plan, id, form, by) =>
    ctx.changes.changeMilestones(plan.id, id, { kind: 'remove', milestoneId: form.milestone }, { by, reason: form.reason }));
}
