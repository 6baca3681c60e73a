/** Errors a command reports as one clear line with a non-zero exit, instead of a stack trace. */

/** Bad input from the person at the keyboard (an argument, a file): exit 2, nothing changed. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}
