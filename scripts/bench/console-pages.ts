/**
 * What 督查室's dashboard of a large plan costs: the console's own route (listing, board, page) behind a signed-in
 * supervisor, first with the plan's listing fresh, then with it kept (paging and filtering within the minute), beside
 * Temporal's floors for reading as many rows: a visibility listing of as many no-op workflows, and its raw pages of the
 * plan's very rows (the same attributes, nothing decoded). Sign-in itself is measured apart (`npm run bench:web`).
 */
import type { Client } from '@temporalio/client';
import { Hono } from 'hono';
import type { Plan } from '../../config/plan-schema.ts';
import type { Session } from '../../web/auth/session.ts';
import { rawListingPages } from '../../activities/temporal-reads.ts';
import { createConsoleGateway } from '../../web/console/console-gateway.ts';
import { createConsoleRoutes, type ConsoleEnv } from '../../web/console/routes.ts';
import { planAttribute } from '../../workflows/search-attributes.ts';

/** One figure of the console's pages. */
export interface ConsolePageTimes {
  /** The first page with a fresh listing, and the next page (the listing kept), ms. */
  readonly fresh: number;
  readonly kept: number;
  /** Listing as many no-op workflows, ms, and how many it read. */
  readonly floor: number;
  readonly floorRows: number;
  /** Temporal's raw pages of the plan's very rows (their search attributes undecoded), ms: the same-shape floor. */
  readonly sameRows: number;
}

/** Loads the plan's dashboard twice (page 1 fresh, page 2 kept) and lists the no-op workflows of `floorType`. */
export async function consolePageTimes(client: Client, plan: Plan, floorType: string): Promise<ConsolePageTimes> {
  const session: Session = {
    user: { email: 'bench@duban.example', name: '督查室', roles: { [plan.id]: 'supervisor' } }, csrfToken: 'bench'.repeat(8), expiresAt: Date.now() + 3_600_000,
  };
  const app = new Hono<ConsoleEnv>();
  // Stands in for sign-in, which is measured apart.
  app.use('*', async (c, next) => {
    c.set('session', session);
    await next();
  });
  app.route('/console', createConsoleRoutes({
    gateway: createConsoleGateway(client), now: Date.now, timezone: plan.timezone,
    plans: [{ id: plan.id, title: plan.title, units: plan.units.map((u) => ({ id: u.id, name: u.name })), timezone: plan.timezone }],
  }));
  const page = async (query: string) => {
    const began = performance.now();
    const response = await app.request(`/console/plans/${plan.id}${query}`);
    const body = await response.text();
    if (response.status !== 200 || !body.includes('重点事项总览')) throw new Error(`the dashboard answered ${response.status}`);
    return performance.now() - began;
  };
  const fresh = await page('');
  const kept = await page('?page=2');
  const began = performance.now();
  const listed = new Set<string>();
  for await (const info of client.workflow.list({ query: `WorkflowType = '${floorType}'`, pageSize: 1000 })) listed.add(info.workflowId);
  const floor = performance.now() - began;
  return { fresh, kept, floor, floorRows: listed.size, sameRows: await rawListingMs(client, `${planAttribute.name} = '${plan.id}'`) };
}

/** How long Temporal takes to page through what `query` finds, 1,000 rows a page, nothing decoded. */
async function rawListingMs(client: Client, query: string): Promise<number> {
  const began = performance.now();
  let rows = 0;
  for await (const page of rawListingPages(client, query, 1000)) rows += page.executions.length;
  if (rows === 0) throw new Error(`the raw listing found no rows for ${query}`);
  return performance.now() - began;
}
