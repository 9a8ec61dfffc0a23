import { Badge, Button, Group, NativeSelect, Stack, Switch, Text, Textarea, TextInput } from "@mantine/core";
import { TONE_CATEGORIES, type ToneCategory } from "@rapport/shared";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ConfirmModal, DataTable, FormModal, ListPanel } from "../../components/kit/index.ts";
import { ApiError } from "../../lib/api.ts";
import {
  type ToneRule,
  useCreateToneRule,
  useDeleteToneRule,
  useToneRules,
  useUpdateToneRule,
} from "./api.ts";

/** The languages Rapport ships tone rules for, by their own names. */
const LANGS = [
  { value: "en", label: "English" },
  { value: "vi", label: "Tiếng Việt" },
  { value: "km", label: "ខ្មែរ" },
  { value: "ta", label: "தமிழ்" },
];

const message = (e: unknown) => (e ? (e instanceof ApiError ? e.message : String(e)) : null);

/** Add or change a rule: the phrase with its variants, the category, suggestions one per line. */
function RuleForm({ lang, rule, onClose }: { lang: string; rule: ToneRule | null; onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreateToneRule();
  const update = useUpdateToneRule();
  const [pattern, setPattern] = useState(rule?.pattern ?? "");
  const [category, setCategory] = useState<ToneCategory>(rule?.category ?? "refusal");
  const [suggestions, setSuggestions] = useState(rule?.suggestions.join("\n") ?? "");
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const body = {
      pattern,
      category,
      suggestions: suggestions
        .split("\n")
        .map((s) => s.trim())
        .filter(Boolean),
    };
    if (rule) update.mutate({ id: rule.id, body }, { onSuccess: onClose });
    else create.mutate({ lang, ...body }, { onSuccess: onClose });
  };
  const pending = create.isPending || update.isPending;
  return (
    <FormModal
      opened
      onClose={onClose}
      title={rule ? t("tone.rules.edit") : t("tone.rules.add")}
      submitLabel={t("tone.rules.save")}
      pending={pending}
      error={message(create.error ?? update.error)}
      onSubmit={submit}
      testId="tone-rule-form"
    >
      <TextInput
        label={t("tone.rules.pattern")}
        description={t("tone.rules.patternHelp")}
        value={pattern}
        onChange={(e) => setPattern(e.currentTarget.value)}
        maxLength={1000}
        required
      />
      <NativeSelect
        label={t("tone.categoryLabel")}
        value={category}
        onChange={(e) => setCategory(e.currentTarget.value as ToneCategory)}
        data={TONE_CATEGORIES.map((c) => ({ value: c, label: t(`tone.category.${c}`) }))}
      />
      <Textarea
        label={t("tone.rules.suggestions")}
        description={t("tone.rules.suggestionsHelp")}
        value={suggestions}
        onChange={(e) => setSuggestions(e.currentTarget.value)}
        autosize
        minRows={2}
        required
      />
    </FormModal>
  );
}

/**
 * Admin section: the tone check's rules per language, the shipped ones and those added here.
 * Administrators add, change, turn off and on, and delete their own rules; a shipped rule can
 * be changed or turned off (the server keeps it so).
 */
export default function ToneRulesAdmin() {
  const { t } = useTranslation();
  const [lang, setLang] = useState("en");
  const rules = useToneRules(lang);
  const update = useUpdateToneRule();
  const remove = useDeleteToneRule();
  const [editing, setEditing] = useState<ToneRule | "new" | null>(null);
  const [deleting, setDeleting] = useState<ToneRule | null>(null);
  const rows = rules.data ?? [];
  return (
    <Stack gap="sm" data-testid="tone-rules-admin">
      <ListPanel
        title={t("tone.rules.title")}
        controls={
          <Group gap="xs" align="flex-end">
            <NativeSelect
              label={t("tone.rules.language")}
              value={lang}
              onChange={(e) => setLang(e.currentTarget.value)}
              data={LANGS}
            />
            <Button onClick={() => setEditing("new")}>{t("tone.rules.add")}</Button>
          </Group>
        }
        errors={[message(rules.error), message(update.error)]}
        empty={rules.isSuccess && rows.length === 0 ? t("tone.rules.none") : undefined}
      >
        <Text size="sm" c="dimmed">
          {t("tone.rules.intro")}
        </Text>
        <DataTable
          label={t("tone.rules.title")}
          testId="tone-rules"
          minWidth={760}
          rows={rows}
          rowKey={(r) => r.id}
          rowProps={(r) => ({ "data-builtin": r.key !== null, "data-enabled": r.enabled })}
          columns={[
            {
              key: "pattern",
              header: t("tone.rules.pattern"),
              maw: 280,
              cell: (r) => (
                <Stack gap={2}>
                  <Text size="sm" lang={r.lang}>
                    {r.pattern.split("|").join(" · ")}
                  </Text>
                  <Badge size="xs" variant="outline" color={r.key ? "gray" : "blue"}>
                    {r.key ? t("tone.rules.builtin") : t("tone.rules.added")}
                  </Badge>
                </Stack>
              ),
            },
            {
              key: "category",
              header: t("tone.categoryLabel"),
              cell: (r) => t(`tone.category.${r.category}`),
            },
            {
              key: "suggestions",
              header: t("tone.rules.suggestions"),
              maw: 320,
              cell: (r) => (
                <Stack gap={2}>
                  {r.suggestions.map((s) => (
                    <Text key={s} size="sm" lang={r.lang}>
                      {s}
                    </Text>
                  ))}
                </Stack>
              ),
            },
            {
              key: "enabled",
              header: t("tone.rules.enabled"),
              cell: (r) => (
                <Switch
                  checked={r.enabled}
                  aria-label={t("tone.rules.enabledFor", { phrase: r.pattern.split("|")[0] })}
                  onChange={(e) => update.mutate({ id: r.id, body: { enabled: e.currentTarget.checked } })}
                />
              ),
            },
            {
              key: "actions",
              header: t("common.actions"),
              hiddenHeader: true,
              cell: (r) => (
                <Group gap={4} wrap="nowrap">
                  <Button size="compact-xs" variant="subtle" onClick={() => setEditing(r)}>
                    {t("tone.rules.editShort")}
                  </Button>
                  {r.key === null && (
                    <Button size="compact-xs" variant="subtle" color="red" onClick={() => setDeleting(r)}>
                      {t("common.delete")}
                    </Button>
                  )}
                </Group>
              ),
            },
          ]}
        />
      </ListPanel>
      {editing && (
        <RuleForm
          key={editing === "new" ? "new" : editing.id}
          lang={lang}
          rule={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
        />
      )}
      <ConfirmModal
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title={t("tone.rules.deleteTitle")}
        submitLabel={t("common.delete")}
        color="red"
        pending={remove.isPending}
        error={message(remove.error)}
        onConfirm={() => deleting && remove.mutate(deleting.id, { onSuccess: () => setDeleting(null) })}
      >
        <Text>{t("tone.rules.deleteConfirm", { phrase: deleting?.pattern.split("|")[0] ?? "" })}</Text>
      </ConfirmModal>
    </Stack>
  );
}
