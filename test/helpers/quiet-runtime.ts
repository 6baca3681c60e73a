/** Vitest setup: the Temporal worker logs only warnings and errors during tests, so failures stand out. */
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('WARN') });
