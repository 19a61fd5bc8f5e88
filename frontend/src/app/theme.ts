import { createTheme, type CSSVariablesResolver } from "@mantine/core";

// System fonts only: nothing is fetched from a font CDN (the CSP allows only 'self').
export const theme = createTheme({
  primaryColor: "cyan",
  // Shade 9 in the light scheme: white text on every filled colour (buttons, badges) is at
  // least 4.5:1 (cyan.9 5.6:1, teal.9 5.0:1, red.9 5.4:1); shade 8 gave cyan 4.3:1, teal 4.0:1.
  primaryShade: { light: 9, dark: 5 },
  defaultRadius: "md",
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Ubuntu, Cantarell, "Helvetica Neue", Arial, sans-serif',
  headings: { fontWeight: "700" },
});

/**
 * Mantine's default `dimmed` text (gray.6, #868e96) is 3.3:1 on white, below WCAG AA. gray.7
 * (#495057) is 8.2:1 on white and 7.4:1 on gray.0, so summaries, captions and the footer stay
 * readable. The dark scheme keeps Mantine's dark dimmed colour (dark.2 on dark.7, 6.9:1).
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { "--mantine-color-dimmed": "var(--mantine-color-gray-7)" },
  dark: {},
});
