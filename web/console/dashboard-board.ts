/**
 * What the plan's dashboard shows, gathered so that its cost does not grow with the plan: a plan of up to
 * {@link describedUpTo} items asks each item its status, as the page always did; a larger one counts and filters
 * what the visibility listing shows (search attributes and each item's console facts) and asks only the items of the
 * page it shows. Asked all at once, a plan of 2,000 items cost the worker 4 s of CPU per page load (most items
 * replayed, being out of its cache), and 1,354 of them still answered too late to show.
 */
import type { DeliverableStatusView } from '../../workflows/definitions.ts';
import { asksAcknowledgement, unitsNotAcknowledging } from './acknowledgement-view.ts';
import { inPlanOrder, type ConsoleGateway, type ListedDeliverable } from './console-gateway.ts';
import { matchesFilter, type DashboardFilter } from './dashboard-page.ts';
import { openInstructions } from './instructions-section.ts';
import type { Listing } from './listing-cache.ts';

/** Plans up to this many items are shown whole, every item asked its status. */
export const describedUpTo = 200;
/** Rows per page of a larger plan. */
export const dashboardPageSize = 50;

/** A unit with open items it has not acknowledged (签收), and how many. */
export interface SilentUnit {
  readonly unitId: string;
  readonly name: string;
  readonly items: number;
}

/** The dashboard's content for one request. */
export interface DashboardBoard {
  /** Every item as far as counting goes (lights, levels, units): described in a small plan, as listed in a large one. */
  readonly all: readonly DeliverableStatusView[];
  /** The rows to show, each asked its status (one that did not answer in time keeps its listed state). */
  readonly shown: readonly DeliverableStatusView[];
  /** How many items pass the filter (more than `shown` when the plan is paged). */
  readonly matching: number;
  /** Present when the plan is paged: this page (from 1), the pages the filtered items fill, and the page size. */
  readonly page?: { readonly number: number; readonly of: number; readonly size: number };
  /** Units with open items they have not acknowledged, most such items first. */
  readonly silent: readonly SilentUnit[];
  /** 批示 still waiting for an answer, over the plan. */
  readonly openInstructions: number;
  /** Items whose 签收 and 批示 could not be counted: in a paged plan, those started before items showed them. */
  readonly uncounted: number;
  /** In a paged plan, when the listing it counts was made (epoch ms): the counts are as of then, the rows are now. */
  readonly listedAt?: number;
}

/** How the board is cut; the defaults suit a 督查室 page, tests make them small. */
export interface BoardLimits {
  readonly describedUpTo?: number;
  readonly pageSize?: number;
}

/** Gathers the dashboard of a plan's listed items for `filter` and the 1-based `page` (clamped to the pages there are). */
export async function dashboardBoard(
  gateway: Pick<ConsoleGateway, 'describeDeliverables'>, listing: Listing, units: readonly { readonly id: string; readonly name: string }[],
  filter: DashboardFilter, page: number, { describedUpTo: whole = describedUpTo, pageSize = dashboardPageSize }: BoardLimits = {},
): Promise<DashboardBoard> {
  const { at } = listing;
  if (listing.rows.length <= whole) return wholeBoard(inPlanOrder(await gateway.describeDeliverables(listing.rows)), filter);
  const rows = await withChangedAsked(gateway, listing);
  const matching = rows.filter((row) => matchesListed(row, filter));
  const of = Math.max(1, Math.ceil(matching.length / pageSize));
  const number = Math.min(Math.max(1, page), of);
  const shown = await gateway.describeDeliverables(matching.slice((number - 1) * pageSize, number * pageSize));
  const counted = rows.filter((row) => row.facts !== undefined);
  return {
    all: rows.map((row) => row.listed), shown, matching: matching.length, page: { number, of, size: pageSize },
    silent: silentUnits(counted, units), openInstructions: counted.reduce((sum, row) => sum + row.facts!.openInstructions, 0),
    uncounted: rows.length - counted.length, listedAt: at,
  };
}

/** The board of a plan shown whole, every item described. */
export function wholeBoard(all: readonly DeliverableStatusView[], filter: DashboardFilter): DashboardBoard {
  const shown = all.filter((v) => matchesFilter(v, filter));
  return {
    all, shown, matching: shown.length, silent: unitsNotAcknowledging(all),
    openInstructions: all.reduce((sum, v) => sum + openInstructions(v), 0), uncounted: 0,
  };
}

/**
 * The listed rows, those the console changed lately asked afresh: visibility shows a change a moment after the update,
 * and the page after an action must count and filter the item as it now is.
 */
async function withChangedAsked(gateway: Pick<ConsoleGateway, 'describeDeliverables'>, { rows, changed }: Listing): Promise<readonly ListedDeliverable[]> {
  const stale = rows.filter((row) => changed.has(row.listed.workflowId));
  if (stale.length === 0) return rows;
  const fresh = new Map((await gateway.describeDeliverables(stale)).map((view) => [view.workflowId, view]));
  return rows.map((row) => {
    const view = fresh.get(row.listed.workflowId);
    if (!view) return row;
    const facts = { unacknowledged: view.units.filter((u) => !u.acknowledgedAt).map((u) => u.unitId), openInstructions: openInstructions(view) };
    return { ...row, listed: view, ...(row.facts ? { facts } : {}) };
  });
}

/** {@link matchesFilter} on what the listing shows; an item without console facts never counts as unacknowledged. */
function matchesListed(row: ListedDeliverable, filter: DashboardFilter): boolean {
  return matchesFilter(row.listed, { ...filter, unacknowledged: undefined }) && (!filter.unacknowledged || unacknowledgedOf(row).length > 0);
}

/** The units that have not acknowledged an item, from its console facts: a closed (or stopped) item asks nothing more. */
function unacknowledgedOf({ listed, facts }: ListedDeliverable): readonly string[] {
  return facts !== undefined && asksAcknowledgement(listed.status) ? facts.unacknowledged : [];
}

function silentUnits(rows: readonly ListedDeliverable[], units: readonly { readonly id: string; readonly name: string }[]): SilentUnit[] {
  const names = new Map(units.map((u) => [u.id, u.name]));
  const items = new Map<string, number>();
  for (const unitId of rows.flatMap(unacknowledgedOf)) items.set(unitId, (items.get(unitId) ?? 0) + 1);
  return [...items].map(([unitId, count]) => ({ unitId, name: names.get(unitId) ?? unitId, items: count }))
    .sort((a, b) => b.items - a.items || a.unitId.localeCompare(b.unitId));
}
