/** `node --import tsx devtools/mail-preview-main.ts [--smtp-url smtp://127.0.0.1:1025]`: mails one sample of every notice kind, to review the templates in the sink. */
import { parseArgs } from 'node:util';
import { createEmailSink, createSmtpTransport, mailDomainOf } from '../activities/mail/email-sink.ts';
import type { NotificationKind } from '../workflows/definitions.ts';
import { sampleNotification } from './sample-notifications.ts';

const kinds: NotificationKind[] = [
  'assignment', 'reminder', 'overdue', 'escalation', 'extension_request', 'extension_decision', 'confirmation',
  'rejection', 'completion', 'cancellation', 'units_changed', 'milestones_changed', 'reopened', 'delivery_failure', 'digest', 'final_report',
];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'smtp-url': { type: 'string' }, from: { type: 'string' } }, strict: true });
  const from = values.from ?? '督办系统 <duban@xinfang.example>';
  const transport = createSmtpTransport(values['smtp-url'] ?? 'smtp://127.0.0.1:1025');
  const sink = createEmailSink({
    transport,
    from,
    mailDomain: mailDomainOf(from),
    // Placeholder links: they show the buttons, they lead nowhere.
    links: (_n, unitId) => ({
      confirm: `http://127.0.0.1:9/preview/${unitId}/confirm`,
      progress: `http://127.0.0.1:9/preview/${unitId}/progress`,
      extension: `http://127.0.0.1:9/preview/${unitId}/extension`,
    }),
  });
  for (const kind of kinds) await sink.deliver(sampleNotification(kind));
  // The pool keeps its connections open for the next message; there is none.
  transport.close();
  console.log(`sent ${kinds.length} sample notices (${kinds.join(', ')})`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
