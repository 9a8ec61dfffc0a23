import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Loader,
  NumberInput,
  Paper,
  Radio,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { LOCALE_NAMES } from "../../i18n/index.ts";
import { ApiError } from "../../lib/api.ts";
import {
  CSAT_CHANNELS,
  type CsatSettings,
  type Reason,
  SURVEY_LOCALES,
  useCsatSettings,
  usePreview,
  useReasons,
  useSaveReason,
  useSaveSettings,
} from "./api.ts";

/**
 * Survey admin (issue 16): when surveys go out (on/off, per channel, delay, expiry), the scale,
 * the reasons a customer picks for a bad rating (in the four languages), what a bad rating
 * triggers (automations on `csat.rated`), and a preview of the survey in each language.
 */
export function SurveyAdmin() {
  const { t } = useTranslation();
  const settings = useCsatSettings();
  const save = useSaveSettings();
  const [form, setForm] = useState<CsatSettings | null>(null);
  useEffect(() => {
    if (settings.data && !form) setForm(settings.data);
  }, [settings.data, form]);
  if (!form) return <Loader aria-label={t("csat.admin.loading")} />;
  const set = (p: Partial<CsatSettings>) => setForm({ ...form, ...p });
  return (
    <Stack gap="lg" maw={960} data-testid="survey-admin">
      <Paper withBorder p="md" radius="md">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate(form);
          }}
        >
          <Stack gap="sm">
            <Title order={2} size="h4">
              {t("csat.admin.title")}
            </Title>
            <Switch
              label={t("csat.admin.enabled")}
              checked={form.enabled}
              onChange={(e) => set({ enabled: e.currentTarget.checked })}
            />
            <Radio.Group
              label={t("csat.admin.scale")}
              value={form.scale}
              onChange={(v) => set({ scale: v as CsatSettings["scale"] })}
            >
              <Group mt={4}>
                <Radio value="good_bad" label={t("csat.admin.scaleGoodBad")} />
                <Radio value="five" label={t("csat.admin.scaleFive")} />
              </Group>
            </Radio.Group>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <NumberInput
                label={t("csat.admin.delay")}
                description={t("csat.admin.delayHelp")}
                min={0}
                max={20160}
                allowDecimal={false}
                value={form.delayMinutes}
                onChange={(v) => set({ delayMinutes: Number(v) || 0 })}
              />
              <NumberInput
                label={t("csat.admin.expiry")}
                min={1}
                max={90}
                allowDecimal={false}
                value={form.expiryDays}
                onChange={(v) => set({ expiryDays: Number(v) || 1 })}
              />
            </SimpleGrid>
            <Checkbox.Group
              label={t("csat.admin.channels")}
              value={form.channels}
              onChange={(v) => set({ channels: v })}
            >
              <Group mt={4}>
                {CSAT_CHANNELS.map((c) => (
                  <Checkbox key={c} value={c} label={t(`reports.channels.${c}`)} />
                ))}
              </Group>
            </Checkbox.Group>
            {save.isError && (
              <Alert color="red">
                {save.error instanceof ApiError ? save.error.message : t("csat.admin.error")}
              </Alert>
            )}
            <Group>
              <Button type="submit" loading={save.isPending}>
                {t("csat.admin.save")}
              </Button>
              {save.isSuccess && !save.isPending && (
                <Text c="teal.9" size="sm" role="status">
                  {t("csat.admin.saved")}
                </Text>
              )}
            </Group>
          </Stack>
        </form>
      </Paper>
      <Reasons />
      <Paper withBorder p="md" radius="md">
        <Title order={2} size="h4" mb="xs">
          {t("csat.admin.triggers")}
        </Title>
        <Text size="sm">
          {t("csat.admin.triggersHelp")}{" "}
          <Anchor component={Link} to="/admin/automations">
            {t("csat.admin.triggersLink")}
          </Anchor>
        </Text>
      </Paper>
      <SurveyPreview scale={form.scale} />
    </Stack>
  );
}

function Reasons() {
  const { t } = useTranslation();
  const reasons = useReasons();
  const [editing, setEditing] = useState<Partial<Reason> | null>(null);
  return (
    <Paper withBorder p="md" radius="md" data-testid="csat-reasons">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          {t("csat.admin.reasons")}
        </Title>
        <Button size="xs" variant="light" onClick={() => setEditing({ labels: {}, active: true })}>
          {t("csat.admin.addReason")}
        </Button>
      </Group>
      <Text size="sm" c="dimmed" mb="xs">
        {t("csat.admin.reasonsHelp")}
      </Text>
      {editing && <ReasonForm reason={editing} onDone={() => setEditing(null)} />}
      <Table fz="sm">
        <Table.Tbody>
          {(reasons.data ?? []).map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>
                {SURVEY_LOCALES.map((l) => r.labels[l])
                  .filter(Boolean)
                  .join(" · ")}{" "}
                {!r.active && <Badge color="gray">{t("csat.admin.inactive")}</Badge>}
              </Table.Td>
              <Table.Td ta="end">
                <Button size="compact-xs" variant="default" onClick={() => setEditing(r)}>
                  {t("csat.admin.edit")}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

function ReasonForm({ reason, onDone }: { reason: Partial<Reason>; onDone: () => void }) {
  const { t } = useTranslation();
  const save = useSaveReason();
  const [labels, setLabels] = useState<Record<string, string>>(reason.labels ?? {});
  const [active, setActive] = useState(reason.active ?? true);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const clean = Object.fromEntries(Object.entries(labels).filter(([, v]) => v.trim()));
        save.mutate({ id: reason.id, labels: clean, active }, { onSuccess: onDone });
      }}
    >
      <Stack gap="xs" mb="sm" data-testid="reason-form">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {SURVEY_LOCALES.map((l) => (
            <TextInput
              key={l}
              label={t("csat.admin.reasonIn", { language: LOCALE_NAMES[l] })}
              required={l === "en"}
              maxLength={200}
              value={labels[l] ?? ""}
              onChange={(e) => setLabels({ ...labels, [l]: e.currentTarget.value })}
            />
          ))}
        </SimpleGrid>
        <Switch
          label={t("csat.admin.active")}
          checked={active}
          onChange={(e) => setActive(e.currentTarget.checked)}
        />
        {save.isError && (
          <Alert color="red">
            {save.error instanceof ApiError ? save.error.message : t("csat.admin.error")}
          </Alert>
        )}
        <Group>
          <Button type="submit" size="xs" loading={save.isPending}>
            {t("csat.admin.saveReason")}
          </Button>
          <Button size="xs" variant="subtle" onClick={onDone}>
            {t("csat.admin.cancel")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The survey in one language, email and page, as the customer would get it. */
function SurveyPreview({ scale }: { scale: string }) {
  const { t } = useTranslation();
  const [language, setLanguage] = useState<string>("en");
  const p = usePreview(language, scale);
  return (
    <Paper withBorder p="md" radius="md" data-testid="survey-preview">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Title order={2} size="h4">
          {t("csat.admin.preview")}
        </Title>
        <SegmentedControl
          size="xs"
          value={language}
          onChange={setLanguage}
          aria-label={t("csat.admin.previewLanguage")}
          data={SURVEY_LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] }))}
        />
      </Group>
      <Text size="sm" c="dimmed">
        {t("csat.admin.templatesHelp")}
      </Text>
      {p.data && (
        <Paper withBorder p="sm" mt="sm" lang={p.data.language} bg="var(--mantine-color-body)">
          <Text fw={700} data-testid="preview-subject">
            {p.data.subject}
          </Text>
          <Text size="sm" style={{ whiteSpace: "pre-line" }} mt="xs">
            {p.data.intro}
          </Text>
          <Group gap="xs" my="sm" wrap="wrap">
            {p.data.options.map((o) => (
              <Badge
                key={o.value}
                size="lg"
                radius="sm"
                variant="filled"
                color={
                  o.value === "good" || o.value === "5" || o.value === "4"
                    ? "teal.9"
                    : o.value === "3"
                      ? "gray.7"
                      : "red.9"
                }
                tt="none"
              >
                {o.label}
              </Badge>
            ))}
          </Group>
          <Text size="sm" style={{ whiteSpace: "pre-line" }}>
            {p.data.outro}
          </Text>
          <Text size="sm" mt="sm" fw={600}>
            {t("csat.admin.previewPage")}
          </Text>
          <Text size="sm">{p.data.question}</Text>
          <Text size="sm" c="dimmed">
            {p.data.reasonLabel} · {p.data.commentLabel}
          </Text>
        </Paper>
      )}
    </Paper>
  );
}
