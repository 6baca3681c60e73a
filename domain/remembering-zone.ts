/**
 * Luxon time zones that remember their offsets. An IANA zone asks `Intl` for the offset of every instant it reads or
 * writes (`formatToParts`, some 10 µs each), and that was the largest single cost of writing a 交办通知 list, of a
 * deliverable's times and of its links' expiry (measured 2026-12-02). Offsets change at most once an hour, so each
 * hour's is asked once. Pure: it remembers only what the zone rules say, so workflows may share it (a preloaded module).
 */
import { IANAZone, Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from 'luxon';

const hourMs = 3_600_000;
/** Hours remembered per zone before it starts afresh (some eleven years of hours). */
const rememberedHours = 100_000;

class RememberingZone extends Zone {
  readonly #rules: IANAZone;
  readonly #offsets = new Map<number, number>();

  constructor(rules: IANAZone) {
    super();
    this.#rules = rules;
  }

  // The type and name luxon reads to format through Intl in the zone itself, as it does for an IANA zone.
  override get type(): string {
    return 'iana';
  }

  override get name(): string {
    return this.#rules.name;
  }

  override get isUniversal(): boolean {
    return false;
  }

  override get isValid(): true {
    return this.#rules.isValid as true;
  }

  override offsetName(ts: number, options: ZoneOffsetOptions): string {
    // Null only for an invalid zone, which is never remembered.
    return this.#rules.offsetName(ts, options) as string;
  }

  override formatOffset(ts: number, format: ZoneOffsetFormat): string {
    return this.#rules.formatOffset(ts, format);
  }

  override equals(other: Zone): boolean {
    return other.type === 'iana' && other.name === this.name;
  }

  override offset(ts: number): number {
    const hour = Math.floor(ts / hourMs);
    const known = this.#offsets.get(hour);
    if (known !== undefined) return known;
    const start = this.#rules.offset(hour * hourMs);
    // The hour of a change (start and end differ) is asked instant by instant.
    if (Number.isNaN(start) || start !== this.#rules.offset(hour * hourMs + hourMs - 1)) return this.#rules.offset(ts);
    if (this.#offsets.size >= rememberedHours) this.#offsets.clear();
    this.#offsets.set(hour, start);
    return start;
  }
}

const zones = new Map<string, RememberingZone>();

/**
 * The IANA zone `name` (e.g. `Asia/Shanghai`), remembering its offsets; one per name, shared by every caller. Pass it
 * where luxon takes a zone: `DateTime.fromISO(text, { zone: rememberingZone(timezone) })`. An unknown name gives an
 * invalid zone, as luxon's own would.
 */
export function rememberingZone(name: string): Zone {
  let zone = zones.get(name);
  if (zone === undefined) {
    zone = new RememberingZone(IANAZone.create(name));
    if (zone.isValid) zones.set(name, zone);
  }
  return zone;
}
