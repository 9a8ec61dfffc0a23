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
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
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
  TEMPLATE_KEYS,
  type TemplateKey,
  useCsatSettings,
  usePreview,
  useReasons,
  useSaveReason,
  useSaveSettings,
  useSaveTemplate,
  useTemplates,
} from "./api.ts";

/**
 * Survey admin (issue 16): when surveys go out (on/off, per channel, delay, expiry), the scale,
 * the reasons a customer picks for a bad rating (in the four languages), what a bad rating
 * triggers (automations on `csat.rated`), and the survey's wording per language with a preview.
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
              <SavedNote mutation={save} />
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

/**
 * The survey's wording in one language (the email's subject and intro, the page's question and
 * labels), each with its built-in default and a reset, and the survey as the customer would get
 * it, previewed from the unsaved draft.
 */
function SurveyPreview({ scale }: { scale: string }) {
  const { t } = useTranslation();
  const [language, setLanguage] = useState<(typeof SURVEY_LOCALES)[number]>("en");
  const templates = useTemplates();
  const current = templates.data?.items.find((i) => i.language === language);
  const [draft, setDraft] = useState<Record<TemplateKey, string> | null>(null);
  useEffect(() => {
    setDraft(current ? { ...current.texts } : null);
  }, [current]);
  const changed = (texts: Record<TemplateKey, string> | null) =>
    Object.fromEntries(
      TEMPLATE_KEYS.filter(
        (k) => texts && current && texts[k].trim() && texts[k] !== current.defaults[k],
      ).map((k) => [k, texts?.[k] ?? ""]),
    );
  const [debounced] = useDebouncedValue(draft, 300);
  const p = usePreview(language, scale, debounced ? changed(debounced) : undefined);
  const save = useSaveTemplate(language);
  const error = save.error instanceof ApiError ? save.error.message : null;
  return (
    <Paper withBorder p="md" radius="md" data-testid="survey-preview">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Title order={2} size="h4">
          {t("csat.admin.wording")}
        </Title>
        <SegmentedControl
          size="xs"
          value={language}
          onChange={(v) => setLanguage(v as typeof language)}
          aria-label={t("csat.admin.previewLanguage")}
          data={SURVEY_LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] }))}
        />
      </Group>
      <Text size="sm" c="dimmed">
        {t("csat.admin.templatesHelp")}
      </Text>
      {draft && current && (
        <form
          data-testid="survey-wording"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate(changed(draft));
          }}
        >
          <Stack gap="xs" mt="sm">
            {TEMPLATE_KEYS.map((k) => {
              const placeholders = templates.data?.placeholders[k] ?? [];
              const props = {
                label: t(`csat.admin.text.${k}`),
                description: `${t("csat.admin.default")}: ${current.defaults[k]}${
                  placeholders.length
                    ? ` · ${t("csat.admin.placeholders")}: ${placeholders.map((x) => `{${x}}`).join(" ")}`
                    : ""
                }`,
                value: draft[k],
                lang: language,
                onChange: (e: { currentTarget: { value: string } }) =>
                  setDraft({ ...draft, [k]: e.currentTarget.value }),
                rightSectionWidth: 90,
                rightSection:
                  draft[k] !== current.defaults[k] ? (
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      onClick={() => setDraft({ ...draft, [k]: current.defaults[k] })}
                    >
                      {t("csat.admin.reset")}
                    </Button>
                  ) : undefined,
              };
              return k === "emailIntro" ? (
                <Textarea key={k} {...props} autosize minRows={3} maxLength={2000} />
              ) : (
                <TextInput key={k} {...props} maxLength={k === "question" ? 300 : 200} />
              );
            })}
            <Group gap="sm">
              <Button type="submit" loading={save.isPending}>
                {t("csat.admin.saveWording")}
              </Button>
              <Button
                variant="default"
                onClick={() => {
                  setDraft({ ...current.defaults });
                  save.mutate({});
                }}
              >
                {t("csat.admin.resetAll")}
              </Button>
              <SavedNote mutation={save} />
            </Group>
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
          </Stack>
        </form>
      )}
      {p.data && (
        <Paper withBorder p="sm" mt="sm" lang={p.data.language} bg="var(--mantine-color-body)">
          <Text size="sm" fw={600} mb="xs" lang={undefined}>
            {t("csat.admin.preview")}
          </Text>
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
          <Text size="sm" data-testid="preview-question">
            {p.data.question}
          </Text>
          <Text size="sm" c="dimmed">
            {p.data.reasonLabel} · {p.data.commentLabel}
          </Text>
        </Paper>
      )}
    </Paper>
  );
}

/** "Saved" once a save went through (and until the next one starts). */
function SavedNote({ mutation }: { mutation: { isSuccess: boolean; isPending: boolean } }) {
  const { t } = useTranslation();
  if (!mutation.isSuccess || mutation.isPending) return null;
  return (
    <Text c="teal.9" size="sm" role="status">
      {t("csat.admin.saved")}
    </Text>
  );
}
