/** Vitest setup: the Temporal worker logs only errors (activity retries are expected in tests and would drown the output) during tests, so failures stand out. */
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('ERROR') });
