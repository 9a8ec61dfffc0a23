import { Button, CloseButton, Group, Paper, Select, Text, TextInput } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type FieldDefinition, fieldLabel } from "./api.ts";

/** One custom-field filter: `cf.<key>[.<op>]=value` in the list's query string. */
export type CfFilter = { key: string; op: string; value: string };
export const cfParams = (filters: CfFilter[]) =>
  Object.fromEntries(filters.map((f) => [`cf.${f.key}${f.op === "eq" ? "" : `.${f.op}`}`, f.value]));

const OPS: Record<string, string[]> = {
  text: ["eq", "contains", "empty"],
  link: ["contains", "empty"],
  number: ["eq", "gte", "lte", "empty"],
  date: ["eq", "gte", "lte", "empty"],
  select: ["eq", "ne", "empty"],
  multiselect: ["eq", "empty"],
  boolean: ["eq"],
};

/** Adds and removes custom-field filters for a list page. */
export function CfFilterBar({
  fields,
  filters,
  onChange,
}: {
  fields: FieldDefinition[];
  filters: CfFilter[];
  onChange: (f: CfFilter[]) => void;
}) {
  const { t, i18n } = useTranslation();
  const [key, setKey] = useState<string | null>(null);
  const [op, setOp] = useState("eq");
  const [value, setValue] = useState("");
  const field = fields.find((f) => f.key === key);
  const ops = field ? (OPS[field.type] ?? ["eq"]) : ["eq"];
  const valueInput = () => {
    if (!field || op === "empty") return null;
    if (field.type === "select" || field.type === "multiselect")
      return (
        <Select
          label={t("fields.filter.value")}
          data={field.options.map((o) => ({ value: o.value, label: fieldLabel(o, i18n.language) }))}
          value={value || null}
          onChange={(v) => setValue(v ?? "")}
        />
      );
    if (field.type === "boolean")
      return (
        <Select
          label={t("fields.filter.value")}
          data={[
            { value: "true", label: t("fields.yes") },
            { value: "false", label: t("fields.no") },
          ]}
          value={value || null}
          onChange={(v) => setValue(v ?? "")}
        />
      );
    return (
      <TextInput
        label={t("fields.filter.value")}
        type={field.type === "date" ? "date" : field.type === "number" ? "number" : "text"}
        value={value}
        onChange={(e) => setValue(e.currentTarget.value)}
      />
    );
  };
  if (fields.length === 0) return null;
  return (
    <Paper withBorder p="xs">
      <Group align="flex-end" gap="xs">
        <Select
          label={t("fields.filter.field")}
          data={fields.map((f) => ({ value: f.key, label: fieldLabel(f, i18n.language) }))}
          value={key}
          onChange={(k) => {
            setKey(k);
            setOp("eq");
            setValue("");
          }}
        />
        <Select
          label={t("fields.filter.op")}
          data={ops.map((o) => ({ value: o, label: t(`fields.op.${o}`) }))}
          value={op}
          allowDeselect={false}
          onChange={(o) => o && setOp(o)}
        />
        {valueInput()}
        <Button
          variant="default"
          disabled={!field || (op !== "empty" && !value)}
          onClick={() => {
            if (!field) return;
            onChange([
              ...filters.filter((f) => !(f.key === field.key && f.op === op)),
              { key: field.key, op, value: op === "empty" ? "true" : value },
            ]);
            setValue("");
          }}
        >
          {t("fields.filter.add")}
        </Button>
        {filters.map((f) => {
          const def = fields.find((d) => d.key === f.key);
          return (
            <Group key={`${f.key}.${f.op}`} gap={2} data-testid="cf-filter">
              <Text size="sm">
                {def ? fieldLabel(def, i18n.language) : f.key} {t(`fields.op.${f.op}`)}{" "}
                {f.op === "empty" ? "" : f.value}
              </Text>
              <CloseButton
                size="sm"
                aria-label={t("fields.filter.remove")}
                onClick={() => onChange(filters.filter((x) => x !== f))}
              />
            </Group>
          );
        })}
      </Group>
    </Paper>
  );
}
