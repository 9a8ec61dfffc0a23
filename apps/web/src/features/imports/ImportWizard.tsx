import {
  Alert,
  Anchor,
  Button,
  FileInput,
  Group,
  Paper,
  Progress,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import type { Me } from "../../lib/types.ts";
import { useMe } from "../auth/session.ts";

type Entity = "contact" | "organization" | "order";
type RowError = { row: number; column: string | null; field: string; code: string; message: string };
type Report = {
  rowCount: number;
  errorCount: number;
  errors: RowError[];
  newOrganizations: string[];
  encoding: string;
};
type Upload = {
  id: string;
  headers: string[];
  sample: string[][];
  mapping: Record<string, string>;
  rowCount: number;
  encoding: string;
  targets: Array<{ key: string; label: string; required: boolean }>;
};

const ENCODINGS = ["auto", "utf-8", "utf-16le", "utf-16be", "windows-1258", "windows-1252"];

async function call(
  method: string,
  path: string,
  csrf: string | null,
  body?: BodyInit,
  type?: string,
  accept?: string,
) {
  return fetch(`/api/v1${path}`, {
    method,
    credentials: "same-origin",
    headers: {
      ...(type ? { "content-type": type } : {}),
      ...(csrf ? { "x-csrf-token": csrf } : {}),
      accept: accept ?? "application/json",
    },
    body,
  });
}
const errorOf = async (res: Response) =>
  ((await res.json().catch(() => ({}))) as { error?: { message?: string; details?: unknown } }).error ?? {};

function ReportTable({ report }: { report: Report }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <Text role="status" data-testid="import-summary">
        {t("imports.summary", { rows: report.rowCount, errors: report.errorCount })}
      </Text>
      {report.newOrganizations.length > 0 && (
        <Text size="sm">{t("imports.newOrgs", { names: report.newOrganizations.join(", ") })}</Text>
      )}
      {report.errors.length > 0 && (
        <Table striped withTableBorder data-testid="import-report">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("imports.line")}</Table.Th>
              <Table.Th>{t("imports.column")}</Table.Th>
              <Table.Th>{t("imports.problem")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.errors.map((e, i) => (
              <Table.Tr key={`${e.row}-${i}`}>
                <Table.Td>{e.row}</Table.Td>
                <Table.Td>{e.column ?? "—"}</Table.Td>
                <Table.Td>
                  {t(`imports.code.${e.code}`, { defaultValue: e.code })}: {e.message}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

/** Upload a CSV, map its columns, check it (dry run), then import it with a progress bar. */
export function ImportWizard({ me }: { me: Me }) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const [entity, setEntity] = useState<Entity>(() => {
    const asked = params.get("entity");
    return asked === "organization" || asked === "order" ? asked : "contact";
  });
  const [encoding, setEncoding] = useState("auto");
  const [country, setCountry] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [upload, setUpload] = useState<Upload | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<{ phase: string; done: number; total: number } | null>(null);
  const [inserted, setInserted] = useState<number | null>(null);
  const csrf = me.csrfToken;
  const options = () => ({
    mapping,
    ...(encoding !== "auto" ? { encoding } : {}),
    ...(country ? { defaultCountry: country.toUpperCase() } : {}),
  });

  const send = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setReport(null);
    setInserted(null);
    try {
      const q = new URLSearchParams({ entity, filename: file.name, encoding });
      const res = await call("POST", `/imports?${q}`, csrf, file, "text/csv");
      if (!res.ok) return setError((await errorOf(res)).message ?? res.statusText);
      const up = (await res.json()) as Upload;
      setUpload(up);
      setMapping(up.mapping);
    } finally {
      setBusy(false);
    }
  };
  const dryRun = async () => {
    if (!upload) return;
    setBusy(true);
    setError(null);
    try {
      const res = await call(
        "POST",
        `/imports/${upload.id}/dry-run`,
        csrf,
        JSON.stringify(options()),
        "application/json",
      );
      if (!res.ok) return setError((await errorOf(res)).message ?? res.statusText);
      setReport((await res.json()) as Report);
    } finally {
      setBusy(false);
    }
  };
  const run = async () => {
    if (!upload) return;
    setBusy(true);
    setError(null);
    setProgress({ phase: "check", done: 0, total: upload.rowCount });
    try {
      const res = await call(
        "POST",
        `/imports/${upload.id}/run`,
        csrf,
        JSON.stringify(options()),
        "application/json",
        "application/x-ndjson",
      );
      if (!res.ok || !res.body) return setError((await errorOf(res)).message ?? res.statusText);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buf = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
        let nl = buf.indexOf("\n");
        while (nl >= 0) {
          const msg = JSON.parse(buf.slice(0, nl)) as {
            type: string;
            phase?: string;
            done?: number;
            total?: number;
            inserted?: number;
            error?: { message: string; details?: Report };
          };
          buf = buf.slice(nl + 1);
          nl = buf.indexOf("\n");
          if (msg.type === "progress")
            setProgress({ phase: msg.phase ?? "", done: msg.done ?? 0, total: msg.total ?? 0 });
          else if (msg.type === "done") {
            setInserted(msg.inserted ?? 0);
            setReport(null);
          } else if (msg.type === "error") {
            setError(msg.error?.message ?? "");
            if (msg.error?.details && "errors" in msg.error.details) setReport(msg.error.details);
          }
        }
      }
    } finally {
      setBusy(false);
      setProgress(null);
    }
  };

  const targets = upload?.targets ?? [];
  return (
    <Stack>
      <Paper withBorder p="md" component="section" aria-labelledby="import-file">
        <Stack gap="sm">
          <Title order={2} size="h5" id="import-file">
            {t("imports.step.file")}
          </Title>
          <SegmentedControl
            value={entity}
            onChange={(v) => {
              setEntity(v as Entity);
              setUpload(null);
            }}
            data={[
              { value: "contact", label: t("imports.entity.contact") },
              { value: "organization", label: t("imports.entity.organization") },
              { value: "order", label: t("imports.entity.order") },
            ]}
            aria-label={t("imports.entityLabel")}
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <FileInput
              label={t("imports.file")}
              accept=".csv,text/csv"
              value={file}
              onChange={setFile}
              data-testid="import-file-input"
            />
            <Select
              label={t("imports.encoding")}
              data={ENCODINGS.map((e) => ({ value: e, label: e === "auto" ? t("imports.encodingAuto") : e }))}
              value={encoding}
              allowDeselect={false}
              onChange={(v) => v && setEncoding(v)}
            />
            {entity !== "organization" && (
              <TextInput
                label={t("imports.country")}
                description={t("imports.countryHelp")}
                maxLength={2}
                value={country}
                onChange={(e) => setCountry(e.currentTarget.value)}
              />
            )}
          </SimpleGrid>
          <Button onClick={send} disabled={!file} loading={busy && !upload} w="fit-content">
            {t("imports.upload")}
          </Button>
        </Stack>
      </Paper>

      {upload && (
        <Paper withBorder p="md" component="section" aria-labelledby="import-mapping">
          <Stack gap="sm">
            <Title order={2} size="h5" id="import-mapping">
              {t("imports.step.mapping", { rows: upload.rowCount, encoding: upload.encoding })}
            </Title>
            <Table withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("imports.column")}</Table.Th>
                  <Table.Th>{t("imports.sample")}</Table.Th>
                  <Table.Th>{t("imports.target")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {upload.headers.map((h, i) => (
                  <Table.Tr key={`${h}-${i}`}>
                    <Table.Td>{h}</Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed" lineClamp={1}>
                        {upload.sample
                          .map((r) => r[i])
                          .filter(Boolean)
                          .slice(0, 2)
                          .join(" · ")}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Select
                        aria-label={t("imports.targetFor", { column: h })}
                        data={[
                          { value: "", label: t("imports.ignore") },
                          ...targets.map((x) => ({
                            value: x.key,
                            label: x.key.startsWith("cf.")
                              ? `${x.label} (${x.key})`
                              : t(`imports.target.${x.key}`),
                          })),
                        ]}
                        value={mapping[String(i)] ?? ""}
                        onChange={(v) => setMapping((m) => ({ ...m, [String(i)]: v ?? "" }))}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Group>
              <Button variant="default" onClick={dryRun} loading={busy && !progress}>
                {t("imports.dryRun")}
              </Button>
              <Button onClick={run} disabled={busy}>
                {t("imports.run")}
              </Button>
            </Group>
            {progress && (
              <Stack gap={4}>
                <Text size="sm">
                  {t(`imports.phase.${progress.phase}`, { defaultValue: progress.phase })} {progress.done}/
                  {progress.total}
                </Text>
                <Progress
                  value={progress.total ? (progress.done / progress.total) * 100 : 0}
                  aria-label={t("imports.progress")}
                  animated
                />
              </Stack>
            )}
          </Stack>
        </Paper>
      )}
      {error && (
        <Alert color="red" role="alert" data-testid="import-error">
          {error}
        </Alert>
      )}
      {report && <ReportTable report={report} />}
      {inserted !== null && (
        <Alert color="green" role="status" data-testid="import-done">
          {t("imports.done", { count: inserted })}{" "}
          <Anchor
            component={Link}
            to={{ contact: "/contacts", organization: "/organizations", order: "/customer-value" }[entity]}
          >
            {t("imports.openList")}
          </Anchor>
        </Alert>
      )}
    </Stack>
  );
}

/** /imports: the wizard as a page (admins). */
export function ImportPage() {
  const { t } = useTranslation();
  const me = useMe();
  if (!me.data) return null;
  return (
    <Stack p="md">
      <Title order={1} size="h3">
        {t("imports.title")}
      </Title>
      <ImportWizard me={me.data} />
    </Stack>
  );
}
