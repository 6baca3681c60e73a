/** The contract between mail and the link signer: which signed links one unit gets in one notice. */
import type { Notification } from '../../workflows/definitions.ts';

/** What a link lets a unit do. */
export type LinkAction = 'confirm' | 'progress' | 'extension';

/** Absolute URLs of a unit's action pages, one per action it may take now. */
export interface ActionLinks {
  readonly confirm?: string;
  readonly progress?: string;
  readonly extension?: string;
}

/**
 * Mints the links of one responsible unit for one notice, inside the mail activity (never in workflow history);
 * undefined when the notice offers that unit no action (copies, digests, closing notices).
 */
export type ActionLinkMaker = (notification: Notification, unitId: string) => ActionLinks | undefined;
