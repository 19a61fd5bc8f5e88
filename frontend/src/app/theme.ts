import { createTheme } from "@mantine/core";

// System fonts only: nothing is fetched from a font CDN (the CSP allows only 'self').
export const theme = createTheme({
  primaryColor: "cyan",
  primaryShade: { light: 8, dark: 5 },
  defaultRadius: "md",
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Ubuntu, Cantarell, "Helvetica Neue", Arial, sans-serif',
  headings: { fontWeight: "700" },
});
