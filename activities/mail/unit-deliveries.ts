/** The unit-mails one notice makes (one per unit, addressee or copy), and what went wrong with them. */
import type { Notification, Recipient } from '../../workflows/definitions.ts';

/** What went wrong in one delivery, sorted by whether a retry can help. */
export interface Failures {
  readonly permanent: string[];
  readonly transient: string[];
}

/** One message to send: a unit, and whether it is copied. */
export interface Delivery {
  readonly recipient: Recipient;
  readonly copy: boolean;
}

/** The units a notice is mailed to, each once: its addressees, then its copies. */
export function deliveriesOf(n: Notification): Delivery[] {
  const seen = new Set<string>();
  const out: Delivery[] = [];
  for (const [list, copy] of [[n.to, false], [n.cc, true]] as const) {
    for (const recipient of list) {
      if (seen.has(recipient.unitId)) continue;
      seen.add(recipient.unitId);
      out.push({ recipient, copy });
    }
  }
  return out;
}
