/** Where notices go: the one interface every delivery (recording, email) implements. */
import type { Notification, Recipient } from '../workflows/definitions.ts';

/** Delivers one notice; throws {@link PermanentDeliveryError} when retrying cannot help, anything else is retried. */
export interface NotificationSink {
  deliver(notification: Notification): Promise<void>;
  /**
   * Delivers several 交办通知 to one unit as one message; `batchKey` names that message stably, so a retry is
   * recognisable. A sink without it gets each notice on its own, addressed to the unit.
   */
  deliverAssignments?(unit: Recipient, notices: readonly Notification[], batchKey: string): Promise<void>;
}

/** A notice that can never be delivered (e.g. a mailbox that does not exist); the workflow records it instead of retrying. */
export class PermanentDeliveryError extends Error {
  override readonly name = 'PermanentDeliveryError';
}
