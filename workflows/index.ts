/** The workflows a duban worker runs. */
export { deliverableWorkflow } from './deliverable.ts';
export { planWorkflow } from './plan.ts';
