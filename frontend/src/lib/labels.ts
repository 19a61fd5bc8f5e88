import { useTranslation } from "react-i18next";

/** Human labels for API enum values, falling back to the raw value for unknown ones. */
export function useLabels() {
  const { t, i18n } = useTranslation();
  return {
    level: (level: string) =>
      i18n.exists(`level.${level}`) ? t(`level.${level}` as "level.beginner") : level,
    courseLanguage: (language: string) =>
      i18n.exists(`courseLanguage.${language}`)
        ? t(`courseLanguage.${language}` as "courseLanguage.id")
        : language,
  };
}
