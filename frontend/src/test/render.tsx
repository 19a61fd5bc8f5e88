import { MantineProvider } from "@mantine/core";
import { QueryClientProvider } from "@tanstack/react-query";
import { render, type RenderResult } from "@testing-library/react";
import type { ReactElement } from "react";
import { createMemoryRouter, RouterProvider, type RouteObject } from "react-router";
import { createQueryClient } from "../app/queryClient";
import { theme } from "../app/theme";
import i18n, { initI18n } from "../i18n";

initI18n("id");

export async function setLanguage(language: "id" | "en"): Promise<void> {
  await i18n.changeLanguage(language);
}

export function renderUI(ui: ReactElement): RenderResult {
  return render(
    <MantineProvider theme={theme}>
      <QueryClientProvider client={createQueryClient()}>{ui}</QueryClientProvider>
    </MantineProvider>,
  );
}

export function renderRoutes(routes: RouteObject[], initialPath: string) {
  const router = createMemoryRouter(routes, { initialEntries: [initialPath] });
  const result = renderUI(<RouterProvider router={router} />);
  return { ...result, router };
}
