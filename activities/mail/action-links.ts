/** The contract between mail and the link signer: which signed links one unit gets in one notice. */
import type { Notification } from '../../workflows/definitions.ts';

/** What a link lets a unit do. */
export type LinkAction = 'confirm' | 'progress' | 'extension' | 'milestone' | 'acknowledge' | 'answer';

/**
 * Absolute URLs of a unit's action pages, one per action it may take now; for the supervisor and leadership,
 * the console page where they act instead (behind the console's sign-in, so nothing secret in it).
 */
export interface ActionLinks {
  readonly confirm?: string;
  readonly progress?: string;
  readonly extension?: string;
  /** 节点完成: marks the milestone the notice is about (or the earliest open one) done; only for that milestone's lead unit. */
  readonly milestone?: string;
  /** 签收 (and, for the lead of an overdue item, 已签收·正在办理). */
  readonly acknowledge?: string;
  /** 答复批示: the unit's page for answering the item's leadership instructions. */
  readonly answer?: string;
  readonly console?: string;
}

/**
 * Mints the links of one addressee for one notice, inside the mail activity (never in workflow history): a
 * responsible unit's signed links, or the console page for anyone else; undefined when the notice offers no action.
 */
export type ActionLinkMaker = (notification: Notification, unitId: string) => ActionLinks | undefined;
