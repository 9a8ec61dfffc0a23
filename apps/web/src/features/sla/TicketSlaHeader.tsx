import { Group, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../lib/format.ts";
import type { Me, Ticket } from "../../lib/types.ts";
import { useTicketSla } from "./api.ts";
import { SlaCountdown } from "./Countdown.tsx";

/** Under the ticket title: the next SLA due time as a colored countdown, with the internal goal. */
export function TicketSlaHeader({ ticket }: { ticket: Ticket; me: Me }) {
  const { t } = useTranslation();
  const sla = useTicketSla(ticket.id, ticket.updatedAt).data;
  if (!sla || sla.state === "none") return null;
  const next = sla.targets
    .filter((x) => !x.metAt && x.status !== "cancelled" && x.dueAt)
    .sort((a, b) => Date.parse(a.dueAt ?? "") - Date.parse(b.dueAt ?? ""))[0];
  return (
    <Group gap="xs" aria-label={t("sla.title")} role="group">
      <Text size="sm" c="dimmed">
        {next ? t(`sla.metric.${next.metric}`) : t("sla.title")}
      </Text>
      <SlaCountdown dueAt={sla.nextDueAt} state={sla.state} goalAt={next?.goalAt} />
      {next?.goalAt && (
        <Text size="xs" c="dimmed">
          {t("sla.goalAt", { time: formatDateTime(next.goalAt) })}
        </Text>
      )}
    </Group>
  );
}
