import { ActionIcon, Anchor, Group, Stack, Text, Title } from "@mantine/core";
import type { LinkedTicket } from "@rapport/server/contract";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Me, Ticket } from "../../lib/types.ts";
import { StatusBadge } from "../inbox/labels.tsx";
import { useLink, useLinks } from "./api.ts";

function Row({
  item,
  onRemove,
  removeLabel,
}: {
  item: LinkedTicket;
  onRemove?: () => void;
  removeLabel: string;
}) {
  return (
    <Group gap={6} wrap="nowrap" data-testid={`linked-${item.number}`}>
      <Anchor component={Link} to={`/tickets/${item.id}`} size="sm" lineClamp={1} style={{ flex: 1 }}>
        #{item.number} {item.subject}
      </Anchor>
      <StatusBadge status={item.status} />
      {onRemove && (
        <ActionIcon size="sm" variant="subtle" color="gray" aria-label={removeLabel} onClick={onRemove}>
          ×
        </ActionIcon>
      )}
    </Group>
  );
}

/** The ticket's related tickets (removable) and the tickets merged into it. */
export function RelatedPanel({ ticket }: { ticket: Ticket; me: Me }) {
  const { t } = useTranslation();
  const links = useLinks(ticket.id).data;
  const link = useLink(ticket.id);
  if (!links || (links.related.length === 0 && links.mergedFrom.length === 0 && links.hidden === 0))
    return null;
  return (
    <Stack gap={6} component="section" aria-labelledby={`related-${ticket.id}`} data-testid="related-panel">
      <Title order={4} size="h6" id={`related-${ticket.id}`}>
        {t("ticketops.related")}
      </Title>
      {links.related.map((r) => (
        <Row
          key={r.id}
          item={r}
          removeLabel={t("ticketops.unlink", { number: r.number })}
          onRemove={() => link.mutate({ otherId: r.id, remove: true })}
        />
      ))}
      {links.mergedFrom.length > 0 && (
        <>
          <Text size="xs" c="dimmed">
            {t("ticketops.mergedFrom")}
          </Text>
          {links.mergedFrom.map((r) => (
            <Row key={r.id} item={r} removeLabel="" />
          ))}
        </>
      )}
      {links.hidden > 0 && (
        <Text size="xs" c="dimmed">
          {t("ticketops.hidden", { count: links.hidden })}
        </Text>
      )}
    </Stack>
  );
}
