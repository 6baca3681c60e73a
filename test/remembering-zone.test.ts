/** Zones that remember their offsets read and write every instant exactly as luxon's own IANA zones do. */
import { DateTime, IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { rememberingZone } from '../domain/remembering-zone.ts';

const minuteMs = 60_000;

/** Instants every 7 minutes over the two days around `isoDay`, so every hour is met at several minutes. */
function instantsAround(isoDay: string): number[] {
  const from = Date.parse(`${isoDay}T00:00:00Z`) - 86_400_000;
  return Array.from({ length: (2 * 24 * 60) / 7 }, (_, i) => from + i * 7 * minuteMs + (i % 3) * 1_234);
}

describe('a remembering zone', () => {
  // Daylight saving on and off (New York), a half-hour change (Lord Howe), an odd offset (Kathmandu), none (Shanghai).
  const changes: [string, string][] = [
    ['America/New_York', '2026-03-08'], ['America/New_York', '2026-11-01'], ['Australia/Lord_Howe', '2026-04-05'],
    ['Australia/Lord_Howe', '2026-10-04'], ['Asia/Kathmandu', '2026-06-01'], ['Asia/Shanghai', '2026-10-01'],
  ];

  it.each(changes)('gives %s the offsets of its rules around %s, and the same local times', (name, day) => {
    const remembering = rememberingZone(name);
    const rules = IANAZone.create(name);
    for (const ts of instantsAround(day)) {
      expect(remembering.offset(ts)).toBe(rules.offset(ts));
      expect(DateTime.fromMillis(ts, { zone: remembering }).toISO()).toBe(DateTime.fromMillis(ts, { zone: name }).toISO());
    }
  });

  it('reads local times on both sides of a change as the rules do, the skipped and the repeated hour too', () => {
    const zone = rememberingZone('America/New_York');
    for (const text of ['2026-03-08T01:30', '2026-03-08T02:30', '2026-03-08T03:30', '2026-11-01T01:30', '2026-11-01T02:30']) {
      expect(DateTime.fromISO(text, { zone }).toMillis()).toBe(DateTime.fromISO(text, { zone: 'America/New_York' }).toMillis());
    }
  });

  it('is one zone per name, equal to luxon’s own, formatting in its own name', () => {
    const zone = rememberingZone('Asia/Shanghai');
    expect(rememberingZone('Asia/Shanghai')).toBe(zone);
    expect(zone.equals(IANAZone.create('Asia/Shanghai'))).toBe(true);
    expect(IANAZone.create('Asia/Shanghai').equals(zone)).toBe(true);
    expect(zone.equals(IANAZone.create('Asia/Tokyo'))).toBe(false);
    const at = DateTime.fromISO('2026-12-02T09:00', { zone });
    expect(at.toFormat('yyyy-MM-dd HH:mm ZZ')).toBe('2026-12-02 09:00 +08:00');
    expect(at.toLocaleString(DateTime.DATETIME_FULL, { locale: 'zh-CN' })).toBe(DateTime.fromISO('2026-12-02T09:00', { zone: 'Asia/Shanghai' }).toLocaleString(DateTime.DATETIME_FULL, { locale: 'zh-CN' }));
  });

  it('gives an unknown name an invalid zone, so luxon refuses its times as it would', () => {
    const zone = rememberingZone('Mars/Olympus_Mons');
    expect(zone.isValid).toBe(false);
    expect(DateTime.fromISO('2026-12-02T09:00', { zone }).isValid).toBe(false);
  });
});
