/** Where notices go: the one interface every delivery (recording, email) implements. */
import type { Notification } from '../workflows/definitions.ts';

/** Delivers one notice; throws {@link PermanentDeliveryError} when retrying cannot help, anything else is retried. */
export interface NotificationSink {
  deliver(notification: Notification): Promise<void>;
}

/** A notice that can never be delivered (e.g. a mailbox that does not exist); the workflow records it instead of retrying. */
export class PermanentDeliveryError extends Error {
  override readonly name = 'PermanentDeliveryError';
}
