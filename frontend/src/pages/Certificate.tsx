import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  CopyButton,
  Group,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { ApiError } from "../api/errors";
import { useCertificate } from "../api/queries";
import { ErrorView } from "../components/ErrorView";
import { PageLoader } from "../components/PageLoader";
import { formatDate } from "../lib/dates";
import { usePageTitle } from "../lib/usePageTitle";

const STATUS_COLOR = { valid: "teal", revoked: "red", tampered: "red" } as const;

/** Public verification page of a certificate: anyone with the code can open it. */
export default function CertificatePage() {
  const { code = "" } = useParams();
  const { t, i18n } = useTranslation();
  usePageTitle(t("learner.certificate.pageTitle", { code }));
  const cert = useCertificate(code);

  if (cert.isPending) return <PageLoader />;
  if (cert.isError) {
    const missing =
      cert.error instanceof ApiError && (cert.error.status === 404 || cert.error.status === 422);
    return missing ? (
      <Stack>
        <Title order={1}>{t("learner.certificate.heading")}</Title>
        <Alert color="red" role="alert">
          {t("learner.certificate.notFound")}
        </Alert>
      </Stack>
    ) : (
      <ErrorView error={cert.error} onRetry={() => void cert.refetch()} />
    );
  }
  const data = cert.data;
  const pdf = (lang: "id" | "en") => `${data.pdf_url}?lang=${lang}`;
  return (
    <Stack gap="lg" maw={760}>
      <Title order={1}>{t("learner.certificate.heading")}</Title>
      <Alert
        color={STATUS_COLOR[data.status]}
        role={data.status === "valid" ? "status" : "alert"}
        title={t(`learner.certificate.status.${data.status}`)}
        data-testid="certificate-status"
        data-status={data.status}
      >
        {data.revoked_reason
          ? t("learner.certificate.revokedReason", { reason: data.revoked_reason })
          : t("learner.certificate.explain")}
      </Alert>
      <Card withBorder padding="lg">
        <Stack gap="xs">
          <Text size="sm">{t("learner.certificate.awardedTo")}</Text>
          <Title order={2} data-testid="certificate-name">
            {data.learner_name}
          </Title>
          <Text size="sm">{t("learner.certificate.course")}</Text>
          <Title order={3}>
            <Anchor component={Link} to={`/courses/${data.course_id}`}>
              {data.course_title}
            </Anchor>
          </Title>
        </Stack>
        <Table mt="md" variant="vertical" layout="fixed" withTableBorder={false}>
          <Table.Tbody>
            <Table.Tr>
              <Table.Th w="45%">{t("learner.certificate.completedOn")}</Table.Th>
              <Table.Td>{formatDate(data.completed_at, i18n.language)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t("learner.certificate.issuedOn")}</Table.Th>
              <Table.Td>{formatDate(data.issued_at, i18n.language)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t("learner.certificate.lessons")}</Table.Th>
              <Table.Td>{data.lessons_completed}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t("learner.certificate.code")}</Table.Th>
              <Table.Td>
                <Badge variant="light" size="lg" style={{ textTransform: "none" }}>
                  {data.code}
                </Badge>
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t("learner.certificate.hash")}</Table.Th>
              <Table.Td style={{ overflowWrap: "anywhere", fontFamily: "monospace" }}>
                {data.evidence_hash}
              </Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Card>
      <Group>
        <Button component="a" href={pdf("id")} data-testid="certificate-pdf">
          {t("learner.certificate.downloadId")}
        </Button>
        <Button component="a" href={pdf("en")} variant="light">
          {t("learner.certificate.downloadEn")}
        </Button>
        <CopyButton value={window.location.href}>
          {({ copied, copy }) => (
            <Button variant="subtle" onClick={copy} aria-live="polite">
              {copied ? t("learner.certificate.copied") : t("learner.certificate.copyLink")}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}
