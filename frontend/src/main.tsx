import "@mantine/core/styles.css";
import "./styles.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { session } from "./api/client";
import { App } from "./app/App";
import { applyLanguage, currentLanguage, initI18n } from "./i18n";

initI18n();

// A signed-in user's profile language wins over this browser's remembered choice.
session.subscribe(() => {
  const { user } = session.getSnapshot();
  if (user && user.locale !== currentLanguage()) void applyLanguage(user.locale);
});
void session.restore();

const root = document.getElementById("root");
if (!root) throw new Error("#root is missing from index.html");
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
