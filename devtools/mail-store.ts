/** The SMTP sink's mailbox: parsed messages in memory, optionally mirrored to `.eml` files so a restart keeps them. */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';

/** One received message, raw and parsed. */
export interface ParsedMessage {
  /** Sortable and URL-safe: `<epoch ms>-<counter>`. */
  readonly id: string;
  readonly receivedAt: Date;
  /** SMTP envelope: who the client said it was from and to. */
  readonly envelope: { readonly from?: string; readonly to: readonly string[] };
  readonly raw: Buffer;
  readonly mail: ParsedMail;
}

/** The addresses of a parsed address header, e.g. `to`. */
export function addressesOf(field: AddressObject | AddressObject[] | undefined): string[] {
  return (Array.isArray(field) ? field : field ? [field] : []).flatMap((f) => f.value.map((v) => v.address ?? '')).filter(Boolean);
}

/** `References` as a list (mailparser gives a string when there is one). */
export function referencesOf(mail: ParsedMail): string[] {
  return mail.references === undefined ? [] : Array.isArray(mail.references) ? mail.references : [mail.references];
}

/** An in-memory list of messages, persisted to `storeDir` when given. */
export class MailStore {
  private readonly list: ParsedMessage[] = [];
  private counter = 0;

  private constructor(private readonly storeDir?: string) {}

  /** Opens a store, reading back what an earlier run left in `storeDir`. */
  static async open(storeDir?: string): Promise<MailStore> {
    const store = new MailStore(storeDir);
    if (storeDir) {
      await mkdir(storeDir, { recursive: true });
      const files = (await readdir(storeDir)).filter((f) => /^[0-9]+-[0-9]+\.eml$/.test(f)).sort();
      for (const file of files) {
        const id = file.slice(0, -'.eml'.length);
        const raw = await readFile(join(storeDir, file));
        const meta = await readFile(join(storeDir, `${id}.json`), 'utf8')
          .then((text) => JSON.parse(text) as { receivedAt: string; envelope: ParsedMessage['envelope'] })
          .catch(() => undefined);
        const mail = await simpleParser(raw);
        const receivedAt = new Date(meta?.receivedAt ?? Number(id.split('-')[0]));
        store.list.push({ id, receivedAt, envelope: meta?.envelope ?? { to: addressesOf(mail.to) }, raw, mail });
      }
    }
    return store;
  }

  /** Parses and keeps a message (and writes it out) before the SMTP client is told it was accepted. */
  async add(raw: Buffer, envelope: ParsedMessage['envelope']): Promise<ParsedMessage> {
    const receivedAt = new Date();
    this.counter += 1;
    const id = `${receivedAt.getTime()}-${String(this.counter).padStart(6, '0')}`;
    const mail = await simpleParser(raw);
    const message: ParsedMessage = { id, receivedAt, envelope, raw, mail };
    if (this.storeDir) {
      await writeFile(join(this.storeDir, `${id}.eml`), raw);
      await writeFile(join(this.storeDir, `${id}.json`), JSON.stringify({ receivedAt: receivedAt.toISOString(), envelope }));
    }
    this.list.push(message);
    return message;
  }

  /** Every message, oldest first. */
  all(): ParsedMessage[] {
    return [...this.list];
  }

  /** One message by id. */
  get(id: string): ParsedMessage | undefined {
    return this.list.find((m) => m.id === id);
  }
}
