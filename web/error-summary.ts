/** The log line of an error no page expected, so the next such 500 says what the server answered, not only that it failed. */
import { isGrpcServiceError } from '@temporalio/client';

// Far more than any SDK error nests; a cycle of causes must not loop.
const maxCauses = 5;

/** The error's message and its causes' (a gRPC error as its code and details), outermost first: "a ← b ← c". */
export function errorSummary(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth <= maxCauses; depth++) {
    if (isGrpcServiceError(current)) parts.push(`gRPC ${current.code}: ${current.details}`);
    else if (current instanceof Error) parts.push(current.message);
    else {
      parts.push(String(current));
      break;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join(' ← ');
}
