/** Errors a command reports as one clear line with a non-zero exit, instead of a stack trace. */

/** Bad input from the person at the keyboard (an argument, a file): exit 2, nothing changed. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly exitCode = 2;
}

/** A command that could not do its work, already explained in one line: exit 2 when the request was refused, 1 when the system failed. */
export class CommandError extends Error {
  override readonly name = 'CommandError';

  constructor(message: string, readonly exitCode: 1 | 2) {
    super(message);
  }
}
