/**
 * The sign-in ledger: spent sign-in links and signed-out sessions, durable and shared by every web process.
 * Entries live only until the token they stand for expires, and the workflow continues as new before its
 * history grows, so it stays small however long it runs.
 */
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  checkLedgerEntry, redeemSignInLinkUpdate, revokeSessionUpdate, sessionRevokedQuery, type SignInLedgerState,
} from './sign-in-definitions.ts';

// Each update adds a handful of events; hand over long before Temporal would warn.
const historyLimit = 2_000;

/** Runs until continue-as-new; never completes on its own. */
export async function signInLedgerWorkflow(carried?: SignInLedgerState): Promise<void> {
  const state = { redeemed: { ...carried?.redeemed }, revoked: { ...carried?.revoked } };
  // Workflow time: deterministic, and close enough to the web's clock for expiries counted in minutes and hours.
  const prune = () => {
    const now = Date.now();
    for (const table of [state.redeemed, state.revoked]) for (const [id, expiresAt] of Object.entries(table)) if (expiresAt <= now) delete table[id];
  };

  setHandler(redeemSignInLinkUpdate, ({ id, expiresAt }) => {
    prune();
    if (expiresAt <= Date.now() || Object.hasOwn(state.redeemed, id)) return false;
    state.redeemed[id] = expiresAt;
    return true;
  }, { validator: checkLedgerEntry });
  setHandler(revokeSessionUpdate, ({ id, expiresAt }) => {
    prune();
    if (expiresAt > Date.now()) state.revoked[id] = expiresAt;
  }, { validator: checkLedgerEntry });
  setHandler(sessionRevokedQuery, (id) => Object.hasOwn(state.revoked, id) && state.revoked[id]! > Date.now());

  await condition(() => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > historyLimit);
  await condition(allHandlersFinished);
  prune();
  await continueAsNew<typeof signInLedgerWorkflow>(state);
}
