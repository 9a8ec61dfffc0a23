import { Badge, Button, Group, Stack, Text, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import type { Me, Ticket } from "../../lib/types.ts";
import { usePendingUntil, useTicketSla } from "./api.ts";
import { STATE_COLOR, useDuration } from "./Countdown.tsx";

/** A local "YYYY-MM-DDTHH:MM" for <input type="datetime-local"> (the browser's zone). */
const localInput = (d: Date) => {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
};

/** Ticket sidebar: every SLA target with its due/goal times and outcome, and "pending until". */
export function SlaPanel({ ticket }: { ticket: Ticket; me: Me }) {
  const { t } = useTranslation();
  const duration = useDuration();
  const sla = useTicketSla(ticket.id, ticket.updatedAt).data;
  const pending = usePendingUntil(ticket.id);
  const [until, setUntil] = useState(() => localInput(new Date(Date.now() + 86_400_000)));
  const error = pending.set.error instanceof ApiError ? pending.set.error.message : null;
  return (
    <Stack gap="xs" component="section" aria-labelledby="sla-panel-title">
      <Title order={4} id="sla-panel-title" size="h6">
        {t("sla.title")}
        {sla?.policy ? ` · ${sla.policy.name}` : ""}
      </Title>
      {sla?.targets.map((x) => (
        <Group key={x.id} gap={6} wrap="nowrap" justify="space-between">
          <Text size="sm">
            {t(`sla.metric.${x.metric}`)}
            {x.cycle > 0 ? ` ${x.cycle}` : ""}
          </Text>
          {x.metAt ? (
            <Badge color={x.breachedAt ? "red" : "green"} variant="light" size="sm">
              {x.breachedAt
                ? t("sla.breachedIn", { time: duration(x.elapsedMs ?? 0) })
                : t("sla.metIn", { time: duration(x.elapsedMs ?? 0) })}
            </Badge>
          ) : x.paused ? (
            <Badge color="gray" size="sm" variant="light">
              {t("sla.paused")}
            </Badge>
          ) : (
            <Text
              size="xs"
              c={x.breachedAt ? "red" : "dimmed"}
              title={x.goalAt ? t("sla.goalAt", { time: formatDateTime(x.goalAt) }) : undefined}
            >
              {x.dueAt ? formatDateTime(x.dueAt) : ""}
            </Text>
          )}
        </Group>
      ))}
      {sla && sla.targets.length === 0 && (
        <Text size="sm" c="dimmed">
          {t("sla.noTargets")}
        </Text>
      )}
      {sla && (
        <Badge color={STATE_COLOR[sla.state]} variant="dot" size="sm">
          {t(`sla.state.${sla.state}`)}
        </Badge>
      )}
      <Title order={5} size="h6" mt="xs">
        {t("sla.pendingUntil")}
      </Title>
      {sla?.pendingUntil ? (
        <Group gap="xs">
          <Text size="sm" data-testid="pending-until">
            {formatDateTime(sla.pendingUntil)}
          </Text>
          <Button size="compact-xs" variant="subtle" onClick={() => pending.clear.mutate()}>
            {t("sla.pendingClear")}
          </Button>
        </Group>
      ) : (
        <Group gap="xs" align="flex-end" wrap="nowrap">
          <TextInput
            type="datetime-local"
            size="xs"
            label={t("sla.pendingDate")}
            value={until}
            onChange={(e) => setUntil(e.currentTarget.value)}
            disabled={!ticket.permissions.update}
            error={error}
          />
          <Button
            size="xs"
            disabled={!ticket.permissions.update || !until}
            loading={pending.set.isPending}
            onClick={() => pending.set.mutate(new Date(until).toISOString())}
          >
            {t("sla.pendingSet")}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
