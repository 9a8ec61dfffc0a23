import { Button, Group, NativeSelect, Text, TextInput } from "@mantine/core";
import { TICKET_STATUSES } from "@rapport/shared";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { post } from "../../lib/api.ts";
import { formatNumber } from "../../lib/format.ts";
import type { BulkResult } from "../../lib/types.ts";
import { useTeams } from "../teams/api.ts";
import { useUsers } from "./api.ts";

/** Bulk actions on the selected tickets through POST /tickets/bulk. */
export function BulkBar({ ids, onDone }: { ids: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const users = useUsers().data ?? [];
  const teams = useTeams().data ?? [];
  const [tag, setTag] = useState("");
  const [result, setResult] = useState<string | null>(null);

  async function apply(patch: Record<string, unknown>) {
    const r = await post<BulkResult>("/tickets/bulk", { ids, patch });
    setResult(
      t("inbox.bulkResult", {
        updated: formatNumber(r.updated.length),
        failed: formatNumber(r.failed.length),
      }),
    );
    await qc.invalidateQueries({ queryKey: ["tickets"] });
    onDone();
  }

  const pick = (label: string, data: { value: string; label: string }[], onPick: (v: string) => void) => (
    <NativeSelect
      aria-label={label}
      size="xs"
      value=""
      data={[{ value: "", label }, ...data]}
      onChange={(e) => {
        const v = e.currentTarget.value;
        if (v) onPick(v);
      }}
    />
  );

  return (
    <Group gap="xs" p="xs" bg="indigo.0" role="toolbar" aria-label={t("inbox.bulkActions")}>
      <Text size="sm" fw={600}>
        {t("inbox.selected", { n: formatNumber(ids.length) })}
      </Text>
      {pick(
        t("inbox.setStatus"),
        TICKET_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) })),
        (status) => void apply({ status }),
      )}
      {pick(
        t("inbox.assignTo"),
        [
          { value: "none", label: t("ticket.unassigned") },
          ...users.filter((u) => u.active).map((u) => ({ value: u.id, label: u.name })),
        ],
        (v) => void apply({ assigneeId: v === "none" ? null : v }),
      )}
      {pick(
        t("inbox.moveToTeam"),
        [
          { value: "none", label: t("ticket.noTeam") },
          ...teams.map((tm) => ({ value: tm.id, label: tm.name })),
        ],
        (v) => void apply({ teamId: v === "none" ? null : v }),
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (tag.trim()) void apply({ addTags: [tag.trim()] }).then(() => setTag(""));
        }}
      >
        <Group gap={4}>
          <TextInput
            size="xs"
            aria-label={t("inbox.addTag")}
            placeholder={t("inbox.addTag")}
            value={tag}
            onChange={(e) => setTag(e.currentTarget.value)}
          />
          <Button size="xs" type="submit" variant="light">
            {t("common.add")}
          </Button>
        </Group>
      </form>
      <Button size="xs" variant="subtle" onClick={onDone}>
        {t("inbox.clearSelection")}
      </Button>
      {result && (
        <Text size="xs" role="status">
          {result}
        </Text>
      )}
    </Group>
  );
}
