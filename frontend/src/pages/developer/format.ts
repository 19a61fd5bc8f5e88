/** Number, percent and date formatting of the developer portal, in the UI language. */

import { intlLocale } from "../../i18n";

export function formatDate(value: string | null | undefined, language: string): string {
  if (!value) return "—";
  return new Intl.DateTimeFormat(intlLocale(language), { dateStyle: "medium" }).format(
    new Date(value),
  );
}

export function formatDateTime(value: string | null | undefined, language: string): string {
  if (!value) return "—";
  return new Intl.DateTimeFormat(intlLocale(language), {
    dateStyle: "medium",
    timeStyle: "short",
  }).format(new Date(value));
}

export function formatNumber(value: number | null | undefined, language: string, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return new Intl.NumberFormat(intlLocale(language), { maximumFractionDigits: digits }).format(value);
}

/** A fraction as a percent: 0.052 → "5,2 %" (id) / "5.2%" (en). */
export function formatPercent(value: number | null | undefined, language: string, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return new Intl.NumberFormat(intlLocale(language), {
    style: "percent",
    maximumFractionDigits: digits,
  }).format(value);
}

export function formatBytes(bytes: number, language: string): string {
  const units = ["B", "kB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${formatNumber(value, language, unit ? 1 : 0)} ${units[unit]}`;
}
