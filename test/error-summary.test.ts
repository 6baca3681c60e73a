/** The log line of an unexpected web error names the server's answer beneath the SDK's message. */
import { ServiceError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { errorSummary } from '../web/error-summary.ts';

describe('the log line of an unexpected error', () => {
  it('follows the causes down to the gRPC code and details', () => {
    const grpc = Object.assign(new Error('8 RESOURCE_EXHAUSTED: workflow is closing'), { code: 8, details: 'workflow operation can not be applied because workflow is closing', metadata: {} });
    expect(errorSummary(new ServiceError('Workflow Update failed', { cause: grpc })))
      .toBe('Workflow Update failed ← gRPC 8: workflow operation can not be applied because workflow is closing');
  });

  it('is the message alone without a cause, and stops on a thrown non-error or a cycle of causes', () => {
    expect(errorSummary(new Error('boom'))).toBe('boom');
    expect(errorSummary('a string')).toBe('a string');
    const looped = new Error('a');
    (looped as { cause?: unknown }).cause = looped;
    expect(errorSummary(looped)).toBe(Array(6).fill('a').join(' ← '));
  });
});
