import { Badge, Button, Group, Stack, Text } from "@mantine/core";
import type { CustomerPromise } from "@rapport/server/contract";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { formatDateTime } from "../../lib/format.ts";
import { formatMoney, useUpdatePromise } from "./api.ts";

export function PromiseItem({ p, showTicket }: { p: CustomerPromise; showTicket?: boolean }) {
  const { t, i18n } = useTranslation();
  const update = useUpdatePromise();
  return (
    <Stack gap={2} data-testid="promise-item">
      <Group gap={6} justify="space-between" wrap="nowrap">
        <Text size="sm" fw={500}>
          {t(`promises.kind.${p.kind}`)}
          {p.amountMinor !== null && p.currency
            ? ` · ${formatMoney(p.amountMinor, p.currency, i18n.language)}`
            : ""}
          {p.percent !== null ? ` · ${p.percent}%` : ""}
        </Text>
        {p.status === "open" ? (
          <Badge size="sm" color={p.overdue ? "red" : "blue"} variant="light">
            {p.overdue ? t("promises.overdue") : t("promises.open")}
          </Badge>
        ) : (
          <Badge
            size="sm"
            color={p.status === "kept" ? (p.keptOnTime ? "green" : "orange") : "gray"}
            variant="light"
          >
            {t(
              p.status === "kept"
                ? p.keptOnTime
                  ? "promises.keptOnTime"
                  : "promises.keptLate"
                : "promises.cancelled",
            )}
          </Badge>
        )}
      </Group>
      {p.description && <Text size="sm">{p.description}</Text>}
      <Text size="xs" c="dimmed">
        {t("promises.dueBy", { time: formatDateTime(p.dueAt), owner: p.owner.name })}
        {showTicket && p.ticket && (
          <>
            {" · "}
            <Link to={`/tickets/${p.ticket.id}`}>
              #{p.ticket.number} {p.ticket.subject}
            </Link>
          </>
        )}
        {showTicket && !p.ticket && ` · ${p.contact.name}`}
      </Text>
      {p.status === "open" && (
        <Group gap="xs">
          <Button
            size="compact-xs"
            variant="default"
            onClick={() => update.mutate({ id: p.id, status: "kept" })}
          >
            {t("promises.markKept")}
          </Button>
          <Button
            size="compact-xs"
            variant="subtle"
            color="gray"
            onClick={() => update.mutate({ id: p.id, status: "cancelled" })}
          >
            {t("promises.cancel")}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
