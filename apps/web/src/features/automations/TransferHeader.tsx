import { Alert, Badge, Group } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { formatNumber } from "../../lib/format.ts";
import type { Me, Ticket } from "../../lib/types.ts";
import { useTransfers } from "./api.ts";

/** Under the ticket title: how often it was transferred, and a runaround warning from the second time. */
export function TransferHeader({ ticket }: { ticket: Ticket; me: Me }) {
  const { t } = useTranslation();
  const data = useTransfers(ticket.id, ticket.updatedAt).data;
  if (!data || data.count === 0) return null;
  const last = data.items.at(-1);
  return (
    <Group gap="xs" w="100%">
      <Badge variant="light" color={data.runaround ? "orange" : "gray"}>
        {t("automations.transferCount", { n: formatNumber(data.count) })}
      </Badge>
      {data.runaround && (
        <Alert
          variant="filled"
          color="red.9"
          title={t("automations.runaroundTitle")}
          role="alert"
          w="100%"
          p="xs"
        >
          {t("automations.runaroundBody", { n: formatNumber(data.count) })}
          {last?.reason ? ` ${t("automations.lastReason", { reason: last.reason })}` : ""}
        </Alert>
      )}
    </Group>
  );
}
