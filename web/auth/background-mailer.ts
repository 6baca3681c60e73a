/**
 * Sends sign-in mail after the answer has gone out: the page never waits for SMTP, so it looks and takes the
 * same whether an address may sign in or not, and a mail server that is down is logged instead of failing
 * the request. One send at a time from a bounded queue; a person whose mail was lost asks again.
 */

/** A queued job that sends one mail. */
export type MailJob = () => Promise<void>;

/** A queue that runs mail jobs one after another in the background. */
export interface BackgroundMailer {
  /** Queues a job; returns at once. A full queue drops the job (and logs it). */
  enqueue(job: MailJob, what: string): void;
  /** Resolves when every queued job has run (tests and shutdown). */
  idle(): Promise<void>;
}

/** A queue of at most `maxPending` jobs; failures go to `log`, never to the request. */
export function createBackgroundMailer({ maxPending = 200, log = (line: string) => console.error(line) }: { maxPending?: number; log?: (line: string) => void } = {}): BackgroundMailer {
  const pending: { job: MailJob; what: string }[] = [];
  let running: Promise<void> | undefined;

  const drain = async () => {
    for (let next = pending.shift(); next; next = pending.shift()) {
      try {
        await next.job();
      } catch (err) {
        log(`sign-in mail (${next.what}) not sent: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    running = undefined;
  };

  return {
    enqueue(job, what) {
      if (pending.length >= maxPending) {
        log(`sign-in mail (${what}) dropped: ${maxPending} already waiting`);
        return;
      }
      pending.push({ job, what });
      // Started on a later turn: not even the job's synchronous set-up runs while the request is answered.
      running ??= new Promise((resolve) => setImmediate(resolve)).then(drain);
    },
    idle: async () => {
      while (running) await running;
    },
  };
}
