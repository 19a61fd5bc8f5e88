import { useEffect } from "react";
import { useTranslation } from "react-i18next";

/** Sets `document.title` ("Page · Pintar Ekspor"), so tabs and screen readers name the page. */
export function usePageTitle(title: string | null | undefined): void {
  const { t } = useTranslation();
  useEffect(() => {
    const app = t("app.name");
    document.title = title ? `${title} · ${app}` : app;
  }, [title, t]);
}
