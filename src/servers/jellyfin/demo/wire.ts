import { createHash } from 'node:crypto';

/** Jellyfin's time unit: 10,000,000 ticks per second (`TimeSpan.TicksPerSecond`). */
export const TICKS_PER_SECOND = 10_000_000;

/**
 * A GUID as Jellyfin writes it (`ToString("N")`): 32 lowercase hex digits, no dashes.
 * Derived from `seed` so a generated library has the same ids on every run.
 */
export function guidFrom(seed: string): string {
  return createHash('md5').update(seed).digest('hex');
}

const GUID_N = /^[0-9a-f]{32}$/i;
const GUID_D = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;

/** Reads a GUID the way `Guid.Parse` does (dashed or "N"); undefined when it is not one. */
export function parseGuid(text: string): string | undefined {
  if (GUID_N.test(text)) return text.toLowerCase();
  if (GUID_D.test(text)) return text.replace(/[{}-]/g, '').toLowerCase();
  return undefined;
}

/**
 * A UTC date as Jellyfin's `JsonDateTimeConverter` writes it: seven fraction digits when the
 * milliseconds are zero, otherwise System.Text.Json's round-trip form with trailing zeros trimmed.
 */
export function formatDate(date: Date): string {
  const iso = date.toISOString();
  if (date.getUTCMilliseconds() === 0) return `${iso.slice(0, 19)}.0000000Z`;
  return iso.replace(/0+Z$/, 'Z');
}

/**
 * Reads a date from a request. ISO 8601 with or without an offset (without one it is the
 * server's local time, as .NET reads it), or the legacy `yyyyMMddHHmmss` form (UTC) that
 * `LegacyDateTimeModelBinder` accepts for `datePlayed`.
 */
export function parseDateInput(text: string): Date | undefined {
  const legacy = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (legacy) {
    const [, y, mo, d, h, mi, s] = legacy.map(Number) as [number, number, number, number, number, number, number];
    return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Serialises a DTO as Jellyfin does: properties as named (PascalCase), null and undefined omitted. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v === null ? undefined : v));
}
