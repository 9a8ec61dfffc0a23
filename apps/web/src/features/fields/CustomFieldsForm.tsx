import {
  Alert,
  Button,
  Group,
  MultiSelect,
  NumberInput,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type FieldDefinition, type FieldErrors, fieldLabel } from "./api.ts";

type Values = Record<string, unknown>;

/** Reads the field-level details of a 400 answer (`customFields.<key>`) into a map by key. */
export async function fieldErrorsOf(res: Response): Promise<{ message: string; byKey: FieldErrors }> {
  const body = (await res.json().catch(() => ({}))) as {
    error?: { message?: string; details?: Array<{ path?: string; message?: string }> };
  };
  const byKey: FieldErrors = {};
  for (const d of Array.isArray(body.error?.details) ? body.error.details : [])
    if (d.path?.startsWith("customFields.")) byKey[d.path.slice(13)] = d.message ?? "";
  return { message: body.error?.message ?? res.statusText, byKey };
}

/** One input per field type; `onChange` gets the value to send (null clears). */
export function FieldInput({
  field,
  value,
  error,
  onChange,
}: {
  field: FieldDefinition;
  value: unknown;
  error?: string;
  onChange: (v: unknown) => void;
}) {
  const { t, i18n } = useTranslation();
  const label = fieldLabel(field, i18n.language);
  const common = { label, description: field.description || undefined, error, required: field.required };
  const options = field.options.map((o) => ({ value: o.value, label: fieldLabel(o, i18n.language) }));
  switch (field.type) {
    case "number":
      return (
        <NumberInput
          {...common}
          value={typeof value === "number" ? value : ""}
          onChange={(v) => onChange(v === "" ? null : Number(v))}
        />
      );
    case "date":
      return (
        <TextInput
          {...common}
          type="date"
          value={typeof value === "string" ? value : ""}
          onChange={(e) => onChange(e.currentTarget.value || null)}
        />
      );
    case "select":
      return (
        <Select
          {...common}
          data={options}
          clearable
          clearButtonProps={{ "aria-label": t("fields.clear") }}
          value={typeof value === "string" ? value : null}
          onChange={(v) => onChange(v)}
        />
      );
    case "multiselect":
      return (
        <MultiSelect
          {...common}
          data={options}
          clearable
          clearButtonProps={{ "aria-label": t("fields.clear") }}
          value={Array.isArray(value) ? (value as string[]) : []}
          onChange={(v) => onChange(v.length ? v : null)}
        />
      );
    case "boolean":
      return (
        <Switch
          label={label}
          description={field.description || undefined}
          error={error}
          checked={value === true}
          onChange={(e) => onChange(e.currentTarget.checked)}
        />
      );
    case "link":
      return (
        <TextInput
          {...common}
          type="url"
          placeholder="https://"
          value={typeof value === "string" ? value : ""}
          onChange={(e) => onChange(e.currentTarget.value || null)}
        />
      );
    default:
      return (
        <TextInput
          {...common}
          value={typeof value === "string" ? value : ""}
          onChange={(e) => onChange(e.currentTarget.value || null)}
        />
      );
  }
}

/**
 * The custom fields of one record with a save button; sends only changed keys.
 * `save` returns the Response so field-level errors show under their inputs.
 */
export function CustomFieldsForm({
  fields,
  values,
  save,
  disabled,
}: {
  fields: FieldDefinition[];
  values: Values;
  save: (changed: Values) => Promise<Response>;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Values>(values);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  if (fields.length === 0) return <Text c="dimmed">{t("fields.none")}</Text>;
  const changed = Object.fromEntries(
    fields
      .filter((f) => JSON.stringify(draft[f.key] ?? null) !== JSON.stringify(values[f.key] ?? null))
      .map((f) => [f.key, draft[f.key] ?? null]),
  );
  const submit = async () => {
    setBusy(true);
    setSaved(false);
    try {
      const res = await save(changed);
      if (res.ok) {
        setErrors({});
        setMessage(null);
        setSaved(true);
      } else {
        const e = await fieldErrorsOf(res);
        setErrors(e.byKey);
        setMessage(e.message);
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap="xs">
      {fields.map((f) => (
        <FieldInput
          key={f.id}
          field={f}
          value={draft[f.key]}
          error={errors[f.key]}
          onChange={(v) => setDraft((d) => ({ ...d, [f.key]: v }))}
        />
      ))}
      {message && (
        <Alert color="red" role="alert">
          {message}
        </Alert>
      )}
      <Group>
        <Button
          size="xs"
          onClick={submit}
          loading={busy}
          disabled={disabled || Object.keys(changed).length === 0}
        >
          {t("fields.save")}
        </Button>
        {saved && (
          <Text size="sm" c="green" role="status">
            {t("fields.saved")}
          </Text>
        )}
      </Group>
    </Stack>
  );
}

/** PATCH with JSON and the CSRF token, returning the raw Response (for field-level errors). */
export async function patchRaw(path: string, body: unknown, csrf: string | null): Promise<Response> {
  return fetch(`/api/v1${path}`, {
    method: "PATCH",
    credentials: "same-origin",
    headers: { "content-type": "application/json", ...(csrf ? { "x-csrf-token": csrf } : {}) },
    body: JSON.stringify(body),
  });
}
