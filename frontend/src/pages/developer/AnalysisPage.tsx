import { Alert, Button, Group, Paper, Progress, Stack, Text, Title } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { getAnalysis, type AnalysisRead } from "../../api/developer";
import { ApiError } from "../../api/errors";
import { problemMessage } from "../../api/problemMessage";
import { ErrorView } from "../../components/ErrorView";
import { PageLoader } from "../../components/PageLoader";
import NotFound from "../NotFound";
import { JobFailedError, JobTimeoutError, pollJob } from "./jobPoller";
import { ANALYSES_PREFIX, analysisQueryKey } from "./queries";

// The charts (recharts) load with the result, never on the first page load.
const ResultView = lazy(() => import("./workbench/ResultView"));

type Follow = "watching" | "left" | "timeout";

/** The message of a failed analysis, by the code stored with it. */
function failureMessage(analysis: AnalysisRead, t: ReturnType<typeof useTranslation>["t"]) {
  const error = analysis.error as { code?: string; message?: string; status?: number } | null;
  return problemMessage(new ApiError(error?.status ?? 422, { ...error, detail: error?.message }), t);
}

/** A queued or running analysis: a live progress bar until it ends, then the result. */
function JobProgress({ analysis }: { analysis: AnalysisRead }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [snapshot, setSnapshot] = useState(analysis);
  const [follow, setFollow] = useState<Follow>("watching");
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (follow !== "watching") return;
    const controller = new AbortController();
    pollJob<AnalysisRead>({
      fetchStatus: (signal) => getAnalysis(analysis.id, signal),
      onUpdate: (next) => setSnapshot(next),
      signal: controller.signal,
    })
      .then((done) => {
        queryClient.setQueryData(analysisQueryKey(analysis.id), done);
        void queryClient.invalidateQueries({ queryKey: ANALYSES_PREFIX });
      })
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        if (err instanceof JobFailedError) {
          queryClient.setQueryData(analysisQueryKey(analysis.id), err.snapshot as AnalysisRead);
        } else if (err instanceof JobTimeoutError) {
          setFollow("timeout");
        } else {
          setError(problemMessage(err, t));
        }
      });
    // Leaving the page (or "stop watching") stops the polling; the job runs on.
    return () => controller.abort();
  }, [analysis.id, follow, queryClient, t]);

  const percent = Math.max(0, Math.min(100, snapshot.progress));
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="job-title">
      <Stack>
        <Title order={2} size="h3" id="job-title">
          {t("devPortal.job.title")}
        </Title>
        <Text>{t("devPortal.job.lead")}</Text>
        <Group justify="space-between">
          <Text fw={600} aria-live="polite" data-testid="job-status">
            {t(`devPortal.job.status.${snapshot.status}`)}
          </Text>
          <Text>{t("devPortal.job.percent", { percent })}</Text>
        </Group>
        <Progress
          value={percent}
          size="xl"
          striped
          animated={follow === "watching"}
          aria-label={t("devPortal.job.progress")}
        />
        {follow === "left" ? <Alert color="blue">{t("devPortal.job.left")}</Alert> : null}
        {follow === "timeout" ? <Alert color="orange">{t("devPortal.job.timeout")}</Alert> : null}
        {error ? (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        ) : null}
        <Group>
          {follow === "watching" ? (
            <Button
              variant="default"
              onClick={() => {
                setFollow("left");
                navigate("/developer/analyses");
              }}
            >
              {t("devPortal.job.leave")}
            </Button>
          ) : (
            <Button variant="light" onClick={() => setFollow("watching")}>
              {t("devPortal.job.resume")}
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

/** /developer/analyses/:id: one analysis, followed live while it runs. */
export default function AnalysisPage() {
  const { t } = useTranslation();
  const { analysisId = "" } = useParams();
  const analysis = useQuery({
    queryKey: analysisQueryKey(analysisId),
    queryFn: ({ signal }) => getAnalysis(analysisId, signal),
    staleTime: Infinity,
  });
  if (analysis.isPending) return <PageLoader />;
  if (analysis.isError) {
    if (analysis.error instanceof ApiError && analysis.error.status === 404) return <NotFound />;
    return <ErrorView error={analysis.error} onRetry={() => void analysis.refetch()} />;
  }
  const data = analysis.data;
  if (data.status === "queued" || data.status === "running") return <JobProgress analysis={data} />;
  if (data.status === "failed") {
    return (
      <Stack>
        <Alert color="red" role="alert" title={t("devPortal.job.status.failed")}>
          {t("devPortal.job.failed", { message: failureMessage(data, t) })}
        </Alert>
        <Group>
          <Button component={Link} to="/developer/analytics">
            {t("devPortal.result.newAnalysis")}
          </Button>
        </Group>
      </Stack>
    );
  }
  return (
    <Suspense fallback={<PageLoader />}>
      <ResultView analysis={data} />
    </Suspense>
  );
}
