import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { patch, post } from "../../lib/api.ts";
import {
  FIELD_ENTITIES,
  FIELD_TYPES,
  type FieldDefinition,
  type FieldEntity,
  type FieldOption,
  type FieldType,
  fieldLabel,
  useFields,
} from "./api.ts";

const OTHER_LANGS = ["vi", "km", "ta"] as const;

/** "value = label" per line; the label defaults to the value. */
const parseOptions = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [value = "", label] = l.split("=").map((x) => x.trim());
      return { value, label: label || value };
    });
const optionsText = (options: FieldOption[]) =>
  options.map((o) => (o.label === o.value ? o.value : `${o.value} = ${o.label}`)).join("\n");

type Draft = {
  label: string;
  labels: Record<string, string>;
  description: string;
  required: boolean;
  options: string;
};

function DraftInputs({ draft, set, type }: { draft: Draft; set: (d: Draft) => void; type: FieldType }) {
  const { t } = useTranslation();
  return (
    <>
      <TextInput
        label={t("fields.admin.label")}
        required
        value={draft.label}
        onChange={(e) => set({ ...draft, label: e.currentTarget.value })}
      />
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {OTHER_LANGS.map((l) => (
          <TextInput
            key={l}
            label={t(`fields.admin.labelIn.${l}`)}
            value={draft.labels[l] ?? ""}
            onChange={(e) => set({ ...draft, labels: { ...draft.labels, [l]: e.currentTarget.value } })}
          />
        ))}
      </SimpleGrid>
      <TextInput
        label={t("fields.admin.description")}
        value={draft.description}
        onChange={(e) => set({ ...draft, description: e.currentTarget.value })}
      />
      {(type === "select" || type === "multiselect") && (
        <Textarea
          label={t("fields.admin.options")}
          description={t("fields.admin.optionsHelp")}
          autosize
          minRows={3}
          value={draft.options}
          onChange={(e) => set({ ...draft, options: e.currentTarget.value })}
        />
      )}
      <Switch
        label={t("fields.admin.required")}
        checked={draft.required}
        onChange={(e) => set({ ...draft, required: e.currentTarget.checked })}
      />
    </>
  );
}

const draftBody = (d: Draft, type: FieldType) => ({
  label: d.label,
  labels: d.labels,
  description: d.description,
  required: d.required,
  ...(type === "select" || type === "multiselect" ? { options: parseOptions(d.options) } : {}),
});

function NewField({ entity }: { entity: FieldEntity }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const empty: Draft = { label: "", labels: {}, description: "", required: false, options: "" };
  const [key, setKey] = useState("");
  const [type, setType] = useState<FieldType>("text");
  const [draft, setDraft] = useState<Draft>(empty);
  const create = useMutation({
    mutationFn: () => post<FieldDefinition>("/fields", { entity, key, type, ...draftBody(draft, type) }),
    onSuccess: () => {
      setKey("");
      setDraft(empty);
      void qc.invalidateQueries({ queryKey: ["fields"] });
    },
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="new-field-title">
      <Stack gap="sm">
        <Title order={3} size="h5" id="new-field-title">
          {t("fields.admin.new")}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t("fields.admin.key")}
            description={t("fields.admin.keyHelp")}
            required
            value={key}
            onChange={(e) => setKey(e.currentTarget.value)}
          />
          <Select
            label={t("fields.admin.type")}
            data={FIELD_TYPES.map((ft) => ({ value: ft, label: t(`fields.type.${ft}`) }))}
            value={type}
            allowDeselect={false}
            onChange={(v) => v && setType(v as FieldType)}
          />
        </SimpleGrid>
        <DraftInputs draft={draft} set={setDraft} type={type} />
        {create.error && (
          <Alert color="red" role="alert">
            {create.error.message}
          </Alert>
        )}
        <Group>
          <Button onClick={() => create.mutate()} loading={create.isPending} disabled={!key || !draft.label}>
            {t("fields.admin.create")}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function EditField({ field, onClose }: { field: FieldDefinition; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [draft, setDraft] = useState<Draft>({
    label: field.label,
    labels: field.labels,
    description: field.description,
    required: field.required,
    options: optionsText(field.options),
  });
  const save = useMutation({
    mutationFn: () => patch<FieldDefinition>(`/fields/${field.id}`, draftBody(draft, field.type)),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ["fields"] });
      onClose();
    },
  });
  return (
    <Modal opened onClose={onClose} title={t("fields.admin.edit", { key: field.key })}>
      <Stack gap="sm">
        <DraftInputs draft={draft} set={setDraft} type={field.type} />
        {save.error && (
          <Alert color="red" role="alert">
            {save.error.message}
          </Alert>
        )}
        <Button onClick={() => save.mutate()} loading={save.isPending}>
          {t("fields.save")}
        </Button>
      </Stack>
    </Modal>
  );
}

/** Admin section "Custom fields": define, order, edit and archive fields per entity. */
export function FieldsAdmin() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [entity, setEntity] = useState<FieldEntity>("contact");
  const [editing, setEditing] = useState<FieldDefinition | null>(null);
  const fields = useFields(entity, "all");
  const list = fields.data ?? [];
  const refresh = () => qc.invalidateQueries({ queryKey: ["fields"] });
  const archive = useMutation({
    mutationFn: (f: FieldDefinition) => patch(`/fields/${f.id}`, { archived: !f.archived }),
    onSuccess: refresh,
  });
  const move = useMutation({
    mutationFn: (ids: string[]) => post("/fields/order", { entity, ids }),
    onSuccess: refresh,
  });
  const swap = (i: number, j: number) => {
    const ids = list.map((f) => f.id);
    [ids[i], ids[j]] = [ids[j] as string, ids[i] as string];
    move.mutate(ids);
  };
  return (
    <Stack>
      <SegmentedControl
        value={entity}
        onChange={(v) => setEntity(v as FieldEntity)}
        data={FIELD_ENTITIES.map((e) => ({ value: e, label: t(`fields.entity.${e}`) }))}
        aria-label={t("fields.admin.entity")}
      />
      {list.length === 0 ? (
        <Text c="dimmed">{t("fields.admin.empty")}</Text>
      ) : (
        <Table striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("fields.admin.label")}</Table.Th>
              <Table.Th>{t("fields.admin.key")}</Table.Th>
              <Table.Th>{t("fields.admin.type")}</Table.Th>
              <Table.Th>{t("fields.admin.required")}</Table.Th>
              <Table.Th>{t("fields.admin.actions")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((f, i) => (
              <Table.Tr key={f.id} data-testid={`field-row-${f.key}`}>
                <Table.Td>
                  {fieldLabel(f, i18n.language)}{" "}
                  {f.archived && <Badge color="gray">{t("fields.admin.archived")}</Badge>}
                </Table.Td>
                <Table.Td>
                  <code>{f.key}</code>
                </Table.Td>
                <Table.Td>{t(`fields.type.${f.type}`)}</Table.Td>
                <Table.Td>{f.required ? t("fields.yes") : t("fields.no")}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    <ActionIcon
                      variant="subtle"
                      aria-label={t("fields.admin.up", { label: f.label })}
                      disabled={i === 0}
                      onClick={() => swap(i, i - 1)}
                    >
                      ↑
                    </ActionIcon>
                    <ActionIcon
                      variant="subtle"
                      aria-label={t("fields.admin.down", { label: f.label })}
                      disabled={i === list.length - 1}
                      onClick={() => swap(i, i + 1)}
                    >
                      ↓
                    </ActionIcon>
                    <Button size="compact-xs" variant="default" onClick={() => setEditing(f)}>
                      {t("fields.admin.editButton")}
                    </Button>
                    <Button size="compact-xs" variant="default" onClick={() => archive.mutate(f)}>
                      {f.archived ? t("fields.admin.restore") : t("fields.admin.archive")}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <NewField entity={entity} />
      {editing && <EditField field={editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}
