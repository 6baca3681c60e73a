/** Checks the addresses a notice names before anything is sent: a typo in the plan should be reported, not bounced. */
import type { Recipient } from '../../workflows/definitions.ts';

// A deliberately plain check: one @, a dot-atom local part, and a domain of letter/digit/hyphen labels (IDN allowed).
const localPart = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const domainLabel = /^[A-Za-z0-9\u00a1-\uffff]([A-Za-z0-9\u00a1-\uffff-]{0,61}[A-Za-z0-9\u00a1-\uffff])?$/;

/** Whether `address` is a bare mailbox such as `zonghe@xinfang.example`. */
export function isMailbox(address: string): boolean {
  if (address.length > 254) return false;
  const at = address.lastIndexOf('@');
  if (at <= 0 || at !== address.indexOf('@')) return false;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  return local.length <= 64 && localPart.test(local) && domain.split('.').every((label) => domainLabel.test(label));
}

/** A unit's addresses, split into the usable and the malformed ones. */
export function splitAddresses(recipient: Recipient): { valid: string[]; invalid: string[] } {
  const valid: string[] = [];
  const invalid: string[] = [];
  for (const address of recipient.emails) (isMailbox(address) ? valid : invalid).push(address);
  return { valid, invalid };
}
