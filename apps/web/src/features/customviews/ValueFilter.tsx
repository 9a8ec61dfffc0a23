import { Badge, Button, CloseButton, Group, NativeSelect, Stack, Text, TextInput } from "@mantine/core";
import { VALUE_FIELDS, type ValueField } from "@rapport/shared";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ViewDraft } from "./api.ts";

type Condition = NonNullable<ViewDraft["filters"]["value"]>[number];
type Op = Condition["op"];

const TEXT_FIELDS: readonly ValueField[] = ["segment", "tier", "relationship_type"];
const opsFor = (field: ValueField): Op[] => (TEXT_FIELDS.includes(field) ? ["is", "in"] : ["is", "gt", "lt"]);

/** The view's customer value conditions (segment, tier, lifetime spend, R score…); all must hold. */
export function ValueFilter({
  value,
  onChange,
}: {
  value: Condition[] | undefined;
  onChange: (next: Condition[] | undefined) => void;
}) {
  const { t } = useTranslation();
  const [field, setField] = useState<ValueField>("segment");
  const [op, setOp] = useState<Op>("is");
  const [text, setText] = useState("");
  const list = value ?? [];
  const fieldLabel = (f: string) => t(`customviews.value.${f}`);
  const add = () => {
    const raw = text.trim();
    if (!raw) return;
    const parsed: Condition["value"] =
      op === "in"
        ? raw
            .split(",")
            .map((x) => x.trim())
            .filter(Boolean)
        : TEXT_FIELDS.includes(field)
          ? raw
          : Number(raw);
    if (typeof parsed === "number" && !Number.isFinite(parsed)) return;
    onChange([...list, { field, op, value: parsed }].slice(0, 10));
    setText("");
  };
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {t("customviews.f.customerValue")}
      </Text>
      {list.length > 0 && (
        <Group gap="xs" data-testid="view-value-conditions">
          {list.map((c, i) => (
            <Badge
              key={`${c.field}-${i}`}
              variant="outline"
              color="gray"
              rightSection={
                <CloseButton
                  size="xs"
                  aria-label={t("customviews.value.remove", { field: fieldLabel(c.field) })}
                  onClick={() => {
                    const next = list.filter((_, j) => j !== i);
                    onChange(next.length ? next : undefined);
                  }}
                />
              }
            >
              {fieldLabel(c.field)} {t(`sla.op.${c.op}`)}{" "}
              {Array.isArray(c.value) ? c.value.join(", ") : c.value}
            </Badge>
          ))}
        </Group>
      )}
      <Group gap="xs" align="flex-end" wrap="wrap">
        <NativeSelect
          label={t("customviews.value.field")}
          value={field}
          onChange={(e) => {
            const f = e.currentTarget.value as ValueField;
            setField(f);
            if (!opsFor(f).includes(op)) setOp("is");
          }}
          data={VALUE_FIELDS.map((f) => ({ value: f, label: fieldLabel(f) }))}
        />
        <NativeSelect
          label={t("customviews.value.op")}
          value={op}
          onChange={(e) => setOp(e.currentTarget.value as Op)}
          data={opsFor(field).map((o) => ({ value: o, label: t(`sla.op.${o}`) }))}
        />
        <TextInput
          label={t("customviews.value.value")}
          description={field === "segment" ? t("customviews.value.segmentHint") : undefined}
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              add();
            }
          }}
        />
        <Button variant="default" onClick={add} disabled={!text.trim()}>
          {t("customviews.value.add")}
        </Button>
      </Group>
    </Stack>
  );
}
