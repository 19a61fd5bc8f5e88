import { Button, Group } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { changeLanguage } from "../auth/actions";
import { LANGUAGES, currentLanguage, type Language } from "../i18n";

/** Two toggle buttons (ID / EN); the choice is remembered and saved to the profile. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const active = currentLanguage();
  return (
    <Group gap={4} role="group" aria-label={t("language.label")} data-lang={i18n.language}>
      {LANGUAGES.map((language: Language) => (
        <Button
          key={language}
          size="compact-sm"
          variant={language === active ? "filled" : "subtle"}
          aria-pressed={language === active}
          aria-label={t(`language.${language}`)}
          lang={language}
          onClick={() => void changeLanguage(language)}
        >
          {language.toUpperCase()}
        </Button>
      ))}
    </Group>
  );
}
