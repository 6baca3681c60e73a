/**
 * A plan's visibility listing, kept for a minute: listing a plan of 2,000 items cost the dev server about a second
 * of CPU, and a 督查室 paging or filtering its dashboard asks for the same listing again and again. Requests in the
 * meantime share one listing; a failed one is not kept; a change made through the console drops its plan's listing,
 * and the item it changed is named with every listing for a while after (visibility shows a change a moment after
 * the update that made it, longer under load), so the page after an action shows it.
 */
import type { ListedDeliverable } from './console-gateway.ts';

/**
 * How long a listing serves later pages: changes made elsewhere (a unit's link, the day's schedule) show in the counts
 * at most this late; the rows of the page shown are always asked afresh. A 10,000-item listing took 5 s.
 */
export const listingTtlMs = 60_000;

/** A plan's listing and when it was made (epoch ms). */
export interface Listing {
  readonly rows: readonly ListedDeliverable[];
  readonly at: number;
  /** The workflow ids of items changed through the console lately: the listing may show them as they were. */
  readonly changed: ReadonlySet<string>;
}

export interface ListingCache {
  /** The plan's listing, fresh or at most {@link listingTtlMs} old. */
  rows(planId: string): Promise<Listing>;
  /** Drops the plan's listing: the next page lists again; `workflowId`, the item changed, is named as changed. */
  forget(planId: string, workflowId?: string): void;
}

export function createListingCache(list: (planId: string) => Promise<ListedDeliverable[]>, now: () => number, ttlMs = listingTtlMs): ListingCache {
  const kept = new Map<string, { readonly at: number; readonly listing: Promise<Omit<Listing, 'changed'>> }>();
  // Per plan, each item changed through the console and when; named for as long as a listing lives.
  const changes = new Map<string, Map<string, number>>();
  const changedIn = (planId: string): Set<string> => {
    const items = changes.get(planId) ?? new Map<string, number>();
    for (const [workflowId, at] of items) if (now() - at >= ttlMs) items.delete(workflowId);
    return new Set(items.keys());
  };
  return {
    async rows(planId) {
      let entry = kept.get(planId);
      if (!entry || now() - entry.at >= ttlMs) {
        const at = now();
        const fresh = { at, listing: list(planId).then((rows) => ({ rows, at })) };
        kept.set(planId, fresh);
        fresh.listing.catch(() => {
          if (kept.get(planId) === fresh) kept.delete(planId);
        });
        entry = fresh;
      }
      return { ...(await entry.listing), changed: changedIn(planId) };
    },
    forget(planId, workflowId) {
      kept.delete(planId);
      if (workflowId !== undefined) changes.set(planId, (changes.get(planId) ?? new Map<string, number>()).set(workflowId, now()));
    },
  };
}
