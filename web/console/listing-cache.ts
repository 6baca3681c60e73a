/**
 * A plan's visibility listing, kept for a few seconds: listing a plan of 2,000 items cost the dev server about a second
 * of CPU, and a 督查室 paging or filtering its dashboard asks for the same listing again and again. Requests in the
 * meantime share one listing; a failed one is not kept; a change made through the console drops its plan's listing,
 * so the page after an action shows it.
 */
import type { ListedDeliverable } from './console-gateway.ts';

/** How long a listing serves later pages: changes made elsewhere (a unit's link) show at most this late. */
export const listingTtlMs = 15_000;

export interface ListingCache {
  /** The plan's listing, fresh or at most {@link listingTtlMs} old. */
  rows(planId: string): Promise<ListedDeliverable[]>;
  /** Drops the plan's listing: the next page lists again. */
  forget(planId: string): void;
}

export function createListingCache(list: (planId: string) => Promise<ListedDeliverable[]>, now: () => number, ttlMs = listingTtlMs): ListingCache {
  const kept = new Map<string, { readonly at: number; readonly rows: Promise<ListedDeliverable[]> }>();
  return {
    rows(planId) {
      const entry = kept.get(planId);
      if (entry && now() - entry.at < ttlMs) return entry.rows;
      const rows = list(planId);
      const fresh = { at: now(), rows };
      kept.set(planId, fresh);
      rows.catch(() => {
        if (kept.get(planId) === fresh) kept.delete(planId);
      });
      return rows;
    },
    forget: (planId) => void kept.delete(planId),
  };
}
