/** Sorts SMTP failures into permanent (record and tell 督查室) and transient (let Temporal retry with backoff). */

/** The fields nodemailer puts on its errors that classification reads. */
interface SmtpErrorFields {
  readonly code?: string;
  readonly responseCode?: number;
  readonly permanent?: boolean;
  readonly response?: string;
}

// Failures of the sending side (credentials, TLS, configuration) are fixed by an operator, after which the same
// message goes through: retrying keeps the notice instead of dropping it, even when the server said 5xx (e.g. 535).
const operatorFixable = new Set(['EAUTH', 'ENOAUTH', 'ETLS', 'EREQUIRETLS', 'ECONFIG', 'EOAUTH2']);

/** True when the server refused this message or recipient for good (5xx, except 503 "bad sequence"); false when a retry may succeed. */
export function isPermanentSmtpError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const { code, responseCode, permanent } = err as Error & SmtpErrorFields;
  if (code && operatorFixable.has(code)) return false;
  if (typeof permanent === 'boolean') return permanent;
  if (typeof responseCode === 'number') return responseCode >= 500 && responseCode < 600 && responseCode !== 503;
  // An envelope nodemailer refused before talking to the server (no usable recipient) will not improve either.
  return code === 'EENVELOPE';
}

/** `550 5.1.1 No such user (zonghe@…)`-style text for a report, without anything but the server's own answer. */
export function describeSmtpError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const { code, responseCode } = err as Error & SmtpErrorFields;
  const tag = [code, responseCode].filter((v) => v !== undefined).join(' ');
  return tag ? `${err.message} [${tag}]` : err.message;
}
