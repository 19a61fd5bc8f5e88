import "@mantine/dropzone/styles.css";
import {
  Alert,
  Button,
  Group,
  Paper,
  Progress,
  Stack,
  Text,
  Textarea,
  Title,
} from "@mantine/core";
import { Dropzone } from "@mantine/dropzone";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { analyzeUpload } from "../../api/developer";
import { problemMessage } from "../../api/problemMessage";
import { usePageTitle } from "../../lib/usePageTitle";
import classes from "./Developer.module.css";
import { formatBytes } from "./format";
import { ANALYSES_PREFIX } from "./queries";
import { OptionsForm } from "./workbench/OptionsForm";
import { defaultValues, toQuery, type OptionValues } from "./workbench/options";

export const SAMPLE_URL = "/samples/ekspor-indonesia-bulanan.csv";
const MAX_BYTES = 50 * 1024 * 1024;
const ACCEPT = {
  "text/csv": [".csv"],
  "application/json": [".json"],
  "text/plain": [".csv", ".txt"],
  "application/vnd.ms-excel": [".csv"],
};

function DataPicker({ file, onFile }: { file: File | null; onFile: (file: File | null) => void }) {
  const { t, i18n } = useTranslation();
  const [paste, setPaste] = useState("");
  const [rejected, setRejected] = useState(false);
  const [loadingSample, setLoadingSample] = useState(false);
  const [sampleError, setSampleError] = useState<string | null>(null);

  const loadSample = async () => {
    setLoadingSample(true);
    setSampleError(null);
    try {
      const response = await fetch(SAMPLE_URL);
      if (!response.ok) throw new TypeError(`sample: HTTP ${response.status}`);
      const blob = await response.blob();
      onFile(new File([blob], "ekspor-indonesia-bulanan.csv", { type: "text/csv" }));
    } catch (error) {
      setSampleError(problemMessage(error, t));
    } finally {
      setLoadingSample(false);
    }
  };

  if (file) {
    return (
      <Group justify="space-between">
        <Text fw={600} data-testid="selected-file">
          {t("devPortal.workbench.selected", {
            name: file.name,
            size: formatBytes(file.size, i18n.language),
          })}
        </Text>
        <Button variant="default" size="xs" onClick={() => onFile(null)}>
          {t("devPortal.workbench.clear")}
        </Button>
      </Group>
    );
  }
  return (
    <Stack>
      <Dropzone
        onDrop={(files) => {
          setRejected(false);
          if (files[0]) onFile(files[0]);
        }}
        onReject={() => setRejected(true)}
        maxSize={MAX_BYTES}
        maxFiles={1}
        multiple={false}
        accept={ACCEPT}
        className={classes.dropzone}
        aria-label={t("devPortal.workbench.dropTitle")}
      >
        <Stack gap={4} align="center">
          <Text fw={600}>{t("devPortal.workbench.dropTitle")}</Text>
          <Text size="sm" c="dimmed">
            {t("devPortal.workbench.dropHint")}
          </Text>
        </Stack>
      </Dropzone>
      {rejected ? (
        <Alert color="red" role="alert">
          {t("devPortal.workbench.dropReject")}
        </Alert>
      ) : null}
      <Group>
        <Button variant="light" loading={loadingSample} onClick={() => void loadSample()}>
          {t("devPortal.workbench.sample")}
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        {t("devPortal.workbench.sampleDescription")}
      </Text>
      {sampleError ? (
        <Alert color="red" role="alert">
          {sampleError}
        </Alert>
      ) : null}
      <Textarea
        label={t("devPortal.workbench.paste")}
        placeholder={t("devPortal.workbench.pastePlaceholder")}
        autosize
        minRows={3}
        maxRows={10}
        value={paste}
        onChange={(event) => setPaste(event.currentTarget.value)}
        styles={{ input: { fontFamily: "monospace" } }}
      />
      <Group>
        <Button
          variant="default"
          disabled={!paste.trim()}
          onClick={() => onFile(new File([paste], "tempel.csv", { type: "text/csv" }))}
        >
          {t("devPortal.workbench.usePaste")}
        </Button>
      </Group>
    </Stack>
  );
}

/** /developer/analytics: choose data and options, upload with progress, then open the result. */
export default function Workbench() {
  const { t } = useTranslation();
  usePageTitle(t("devPortal.workbench.title"));
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [values, setValues] = useState<OptionValues>(() => defaultValues());
  const [percent, setPercent] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const upload = useRef<AbortController | null>(null);
  useEffect(() => () => upload.current?.abort(), []);

  const run = async () => {
    if (!file) {
      setError(t("devPortal.workbench.noData"));
      return;
    }
    setError(null);
    setPercent(0);
    const controller = new AbortController();
    upload.current = controller;
    try {
      const outcome = await analyzeUpload(
        file,
        toQuery(values),
        ({ loaded, total }) => setPercent(Math.round((loaded / Math.max(total, 1)) * 100)),
        controller.signal,
      );
      const id = outcome.kind === "done" ? outcome.analysis.id : outcome.job.id;
      // The analysis page reads it again: that answer also names the dataset (file name).
      void queryClient.invalidateQueries({ queryKey: ANALYSES_PREFIX });
      navigate(`/developer/analyses/${id}`);
    } catch (err) {
      if (!(err instanceof DOMException && err.name === "AbortError")) {
        setError(problemMessage(err, t));
      }
      setPercent(null);
    } finally {
      upload.current = null;
    }
  };

  const busy = percent !== null;
  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={2}>{t("devPortal.workbench.title")}</Title>
        <Text c="dimmed">{t("devPortal.workbench.lead")}</Text>
      </Stack>
      <Paper withBorder p="lg" component="section" aria-labelledby="data-title">
        <Stack>
          <Title order={3} size="h4" id="data-title">
            {t("devPortal.workbench.dataTitle")}
          </Title>
          <DataPicker file={file} onFile={setFile} />
        </Stack>
      </Paper>
      <Paper withBorder p="lg" component="section" aria-labelledby="options-title">
        <Stack>
          <Title order={3} size="h4" id="options-title">
            {t("devPortal.workbench.optionsTitle")}
          </Title>
          <OptionsForm values={values} onChange={setValues} />
        </Stack>
      </Paper>
      {error ? (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      ) : null}
      {busy ? (
        <Stack gap={4}>
          <Text size="sm" aria-live="polite">
            {percent < 100
              ? t("devPortal.workbench.uploading", { percent })
              : t("devPortal.workbench.processing")}
          </Text>
          <Progress
            value={percent}
            aria-label={t("devPortal.workbench.uploadProgress")}
            animated={percent >= 100}
            size="lg"
          />
          <Group>
            <Button variant="default" size="xs" onClick={() => upload.current?.abort()}>
              {t("devPortal.workbench.cancelUpload")}
            </Button>
          </Group>
        </Stack>
      ) : null}
      <Group>
        <Button size="md" onClick={() => void run()} loading={busy} disabled={!file}>
          {t("devPortal.workbench.run")}
        </Button>
      </Group>
    </Stack>
  );
}
