/** The one activity workflows use to send notices, with the retry policy every notice shares. */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';

/**
 * Transient failures retry without limit (a mail server down for a day delays mail, it never loses it);
 * callers do not wait for delivery, so the schedule and escalation timing never depend on it.
 */
export const { deliverNotification, deliverAssignments } = proxyActivities<Activities>({
  // Short, so a notice in flight on a crashed worker is retried within a minute (the mailer's own timeouts are shorter).
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '1 hour', nonRetryableErrorTypes: ['PermanentDeliveryError'] },
});
