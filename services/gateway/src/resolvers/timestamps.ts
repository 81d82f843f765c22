import { type Timestamp, timestampMs } from '@bufbuild/protobuf/wkt';

/** '00'..'99' and '000'..'999', so a timestamp is formatted by lookups and concatenation. */
const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));
const DAY_MS = 86_400_000;

/**
 * A service's Timestamp as the ISO-8601 string GraphQL sends (`2026-11-25T14:23:19.123Z`),
 * the same text as `timestampDate(t).toISOString()` at a third of its cost (~110 ns against
 * ~330 ns; a members page formats 60). The calendar date comes from the day number by Howard
 * Hinnant's civil_from_days; years outside 0000-9999 go to Date, which writes them as ±YYYYYY.
 */
export function isoOf(timestamp: Timestamp): string {
  const ms = timestampMs(timestamp);
  const days = Math.floor(ms / DAY_MS);
  let rest = ms - days * DAY_MS;
  const shifted = days + 719_468; // days since 0000-03-01
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  if (!(year >= 0 && year <= 9999)) return new Date(ms).toISOString();
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${TWO_DIGITS[Math.floor(year / 100)]}${TWO_DIGITS[year % 100]}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}T${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[rest - seconds * 1000]}Z`;
}

/** An optional instant (expiry, erasure): its ISO string, or null when the service sent none. */
export function optionalIso(timestamp: Timestamp | undefined): string | null {
  return timestamp ? isoOf(timestamp) : null;
}

/** An instant the service always sends: its ISO string; a missing one is a broken service, not bad input. */
export function requiredIso(timestamp: Timestamp | undefined, what: string): string {
  if (!timestamp) throw new Error(`a service answered without ${what}`);
  return isoOf(timestamp);
}
