/** A translated message for any error the UI shows: by the problem's stable `code` first. */

import type { TFunction } from "i18next";
import i18n from "../i18n";
import { ApiError } from "./errors";

/**
 * The message for `error` in the current language: the translation of the problem's `code`
 * (`problems.<code>`), else, for an Indonesian UI, the generic message (never English server
 * text), else the server's `detail`. Network failures get the network message.
 */
export function problemMessage(error: unknown, t: TFunction, fallback?: string): string {
  if (error instanceof ApiError) {
    if (error.code) {
      const key = `problems.${error.code}`;
      if (i18n.exists(key)) return t(key as never) as string;
    }
    if (error.status === 403) return t("errors.forbidden");
    if (i18n.language === "en" && error.detail) return error.detail;
    return fallback ?? t("errors.generic");
  }
  if (error instanceof TypeError) return t("errors.network");
  return fallback ?? t("errors.generic");
}

/**
 * The message for one form field of a failed request, or null when the problem does not name
 * that field. A problem with a translated `code` (e.g. `weak_password`) gives its message; a
 * plain validation error gives the server's text in English and a generic hint in Indonesian
 * (the server's field messages are English only).
 */
export function fieldProblemMessage(error: unknown, field: string, t: TFunction): string | null {
  if (!(error instanceof ApiError)) return null;
  const serverText = error.fieldMessage(field);
  if (serverText === null) return null;
  if (error.code && error.code !== "validation_failed") {
    const key = `problems.${error.code}`;
    if (i18n.exists(key)) return t(key as never) as string;
  }
  return i18n.language === "en" ? serverText : (t("problems.validation_failed") as string);
}
