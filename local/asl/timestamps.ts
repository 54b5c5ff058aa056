/**
 * Timestamps as Step Functions reads them in Wait states: ISO-8601 extended offset date-times
 * (Java's ISO_OFFSET_DATE_TIME): a 'T' between date and time, seconds and fraction optional, and a
 * zone offset ('Z' or ±HH:MM) required. "2016-12-05 21:29:29Z" (space) and "2016-12-05T21:29:29"
 * (no zone) are rejected, as are impossible dates such as month 13 or hour 25.
 */
const ISO_OFFSET_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}:\d{2}(?::\d{2})?)$/;

/** Milliseconds since the epoch, or undefined when `text` is not an ISO-8601 offset date-time. */
export function parseIsoOffsetDateTime(text: string): number | undefined {
  const match = ISO_OFFSET_DATE_TIME.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second = '0', fraction = '', zone = 'Z'] = match;
  const y = Number(year);
  const mo = Number(month);
  const d = Number(day);
  const h = Number(hour);
  const mi = Number(minute);
  const s = Number(second);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const [oh = 0, om = 0] = zone.slice(1).split(':').map(Number);
    if (oh > 18 || om > 59) return undefined;
    offsetMinutes = sign * (oh * 60 + om);
  }
  const millis = Number(`0.${fraction || '0'}`) * 1000;
  return Date.UTC(y, mo - 1, d, h, mi, s) + Math.floor(millis) - offsetMinutes * 60_000;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
