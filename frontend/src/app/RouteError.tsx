import { Alert, Button, Container, Stack } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { isRouteErrorResponse, useRouteError } from "react-router";
import NotFound from "../pages/NotFound";

/** Errors thrown while rendering or loading a route (e.g. a chunk that failed to download). */
export function RouteError() {
  const error = useRouteError();
  const { t } = useTranslation();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFound />;
  return (
    <Container size="sm" py="xl">
      <Alert color="red" role="alert" title={t("errors.generic")}>
        <Stack align="flex-start">
          <Button variant="light" color="red" onClick={() => window.location.reload()}>
            {t("errors.reload")}
          </Button>
        </Stack>
      </Alert>
    </Container>
  );
}
