/** The one activity workflows use to send notices, with the retry policy every notice shares. */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';

/**
 * Transient failures retry without limit (a mail server down for a day delays mail, it never loses it);
 * callers do not wait for delivery, so the schedule and escalation timing never depend on it.
 */
export const { deliverNotification } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '1 hour', nonRetryableErrorTypes: ['PermanentDeliveryError'] },
});
