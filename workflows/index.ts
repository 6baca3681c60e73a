/** The workflows a duban worker runs. */
export { assignmentBatchWorkflow } from './assignment-batch.ts';
export { deliverableWorkflow } from './deliverable.ts';
export { planWorkflow } from './plan.ts';
export { signInLedgerWorkflow } from './sign-in-ledger.ts';
