import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Pagination,
  ScrollArea,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { deleteAnalysis, listAnalyses, type AnalysisSummary } from "../../api/developer";
import { problemMessage } from "../../api/problemMessage";
import { ErrorView } from "../../components/ErrorView";
import { PageLoader } from "../../components/PageLoader";
import { usePageTitle } from "../../lib/usePageTitle";
import { formatDateTime, formatNumber } from "./format";
import { ANALYSES_PREFIX, analysesQueryKey, analysisQueryKey } from "./queries";

const PAGE_SIZE = 10;
const STATUS_COLOR = { queued: "gray", running: "blue", succeeded: "teal", failed: "red" } as const;

/** The list carries no file name (only the dataset id), so the categories name the data. */
function datasetName(analysis: AnalysisSummary, fallback: string): string {
  const names = (analysis.categories ?? []).map(String);
  if (!names.length) return fallback;
  return names.length > 3 ? `${names.slice(0, 3).join(", ")}, …` : names.join(", ");
}

/** /developer/analyses: the user's analyses, newest first; open or delete them. */
export default function History() {
  const { t, i18n } = useTranslation();
  usePageTitle(t("devPortal.history.title"));
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get("page") ?? "1") || 1);
  const analyses = useQuery({
    queryKey: analysesQueryKey(page),
    queryFn: () => listAnalyses({ limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    placeholderData: keepPreviousData,
    // Analyses are also made through the API (and jobs finish) outside this tab.
    staleTime: 0,
    refetchOnMount: "always",
  });
  const [toDelete, setToDelete] = useState<AnalysisSummary | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const remove = useMutation({
    mutationFn: (analysis: AnalysisSummary) => deleteAnalysis(analysis.id),
    onSuccess: (_, analysis) => {
      setToDelete(null);
      setNotice(t("devPortal.history.deleted"));
      queryClient.removeQueries({ queryKey: analysisQueryKey(analysis.id) });
      void queryClient.invalidateQueries({ queryKey: ANALYSES_PREFIX });
    },
  });

  const unnamed = t("devPortal.result.unnamed");
  const lang = i18n.language;
  const total = analyses.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <Stack gap="lg">
      <Title order={2}>{t("devPortal.history.title")}</Title>
      {notice ? (
        <Alert color="teal" role="status" withCloseButton onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      ) : null}
      {analyses.isPending ? (
        <PageLoader />
      ) : analyses.isError ? (
        <ErrorView error={analyses.error} onRetry={() => void analyses.refetch()} />
      ) : analyses.data.items.length === 0 ? (
        <Stack align="flex-start">
          <Text>{t("devPortal.history.empty")}</Text>
          <Button component={Link} to="/developer/analytics">
            {t("devPortal.nav.analytics")}
          </Button>
        </Stack>
      ) : (
        <>
          <ScrollArea type="auto">
            <Table striped highlightOnHover miw={680} data-testid="history-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("devPortal.history.colDate")}</Table.Th>
                  <Table.Th>{t("devPortal.history.colDataset")}</Table.Th>
                  <Table.Th>{t("devPortal.history.colStatus")}</Table.Th>
                  <Table.Th>{t("devPortal.history.colRows")}</Table.Th>
                  <Table.Th>{t("devPortal.history.colCategories")}</Table.Th>
                  <Table.Th>{t("devPortal.history.colActions")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {analyses.data.items.map((analysis) => (
                  <Table.Tr key={analysis.id} data-analysis-id={analysis.id}>
                    <Table.Td>{formatDateTime(analysis.created_at, lang)}</Table.Td>
                    <Table.Td>
                      {datasetName(analysis, unnamed)}{" "}
                      <Text span size="xs" c="dimmed">
                        ({t(`devPortal.history.kind.${analysis.kind}`)})
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={STATUS_COLOR[analysis.status]} variant="light">
                        {t(`devPortal.job.status.${analysis.status}`)}
                        {analysis.status === "running" ? ` ${analysis.progress}%` : ""}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{formatNumber(analysis.rows, lang, 0)}</Table.Td>
                    <Table.Td>{analysis.categories?.length ?? "—"}</Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Button
                          component={Link}
                          to={`/developer/analyses/${analysis.id}`}
                          size="xs"
                          variant="light"
                        >
                          {t("devPortal.history.open")}
                        </Button>
                        <Button
                          size="xs"
                          variant="light"
                          color="red"
                          onClick={() => {
                            remove.reset();
                            setToDelete(analysis);
                          }}
                        >
                          {t("devPortal.history.delete")}
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
          {pages > 1 ? (
            <Pagination
              total={pages}
              value={page}
              onChange={(next) => setParams({ page: String(next) })}
              getControlProps={(control) => ({
                "aria-label": control === "previous" ? t("catalogue.previousPage") : t("catalogue.nextPage"),
              })}
              aria-label={t("devPortal.history.pagination")}
            />
          ) : null}
        </>
      )}
      <Modal
        opened={toDelete !== null}
        onClose={() => setToDelete(null)}
        title={t("devPortal.history.deleteTitle")}
      >
        <Stack>
          <Text>
            {toDelete
              ? t("devPortal.history.deleteBody", {
                  date: formatDateTime(toDelete.created_at, lang),
                  name: datasetName(toDelete, unnamed),
                })
              : null}
          </Text>
          {remove.isError ? (
            <Alert color="red" role="alert">
              {problemMessage(remove.error, t)}
            </Alert>
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setToDelete(null)}>
              {t("devPortal.keys.cancel")}
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => toDelete && remove.mutate(toDelete)}>
              {t("devPortal.history.deleteConfirm")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
