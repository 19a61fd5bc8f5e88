import { intlLocale } from "../i18n";

/** `1 Desember 2026` / `1 December 2026` in the UI language. */
export function formatDate(value: string | null | undefined, language: string): string {
  if (!value) return "";
  return new Intl.DateTimeFormat(intlLocale(language), { dateStyle: "long" }).format(
    new Date(value),
  );
}
