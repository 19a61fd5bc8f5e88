/** Number and date formatting for the dashboard, in the UI language (id-ID or en-GB). */

export function locale(language: string): string {
  return language.startsWith("en") ? "en-GB" : "id-ID";
}

/** A count or measure; `null` (withheld or unknown) becomes the given placeholder. */
export function formatNumber(
  value: number | null | undefined,
  language: string,
  placeholder: string,
  digits = 0,
): string {
  if (value === null || value === undefined) return placeholder;
  return new Intl.NumberFormat(locale(language), {
    maximumFractionDigits: digits,
    minimumFractionDigits: 0,
  }).format(value);
}

/** A ratio 0..1 as a percentage. */
export function formatRate(
  value: number | null | undefined,
  language: string,
  placeholder: string,
): string {
  if (value === null || value === undefined) return placeholder;
  return new Intl.NumberFormat(locale(language), {
    style: "percent",
    maximumFractionDigits: 1,
  }).format(value);
}

/** A bucket's first day (ISO date) as a short label, e.g. "5 Jan 2026". */
export function formatPeriod(iso: string, language: string, monthly = false): string {
  const date = new Date(`${iso}T00:00:00Z`);
  return new Intl.DateTimeFormat(locale(language), {
    timeZone: "UTC",
    day: monthly ? undefined : "numeric",
    month: "short",
    year: monthly ? "numeric" : "2-digit",
  }).format(date);
}

/** Today and 89 days earlier (UTC), as the default 90-day report period. */
export function defaultRange(now = new Date()): { from: string; to: string } {
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const from = new Date(to.getTime() - 89 * 86_400_000);
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  return { from: iso(from), to: iso(to) };
}
