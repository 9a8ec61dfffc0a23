import { Anchor, Badge, Button, Group, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { formatNumber, formatRelative } from "../../lib/format.ts";
import type { Me, Ticket } from "../../lib/types.ts";
import { PriorityBadge, StatusBadge } from "../inbox/labels.tsx";
import { useViewCounts } from "../realtime/RealtimeProvider.tsx";
import { type CustomView, useCustomViews, useViewTickets } from "./api.ts";
import { ViewEditor } from "./ViewEditor.tsx";

function Cell({ column, ticket }: { column: string; ticket: Ticket }) {
  const { t } = useTranslation();
  if (column.startsWith("cf.")) {
    const v = ticket.customFields?.[column.slice(3)];
    return (
      <Table.Td>{v === undefined || v === null ? "" : Array.isArray(v) ? v.join(", ") : String(v)}</Table.Td>
    );
  }
  switch (column) {
    case "number":
      return <Table.Td c="dimmed">#{ticket.number}</Table.Td>;
    case "subject":
      return (
        <Table.Td>
          <Anchor component={Link} to={`/tickets/${ticket.id}`} fw={ticket.unread ? 700 : undefined}>
            {ticket.subject}
          </Anchor>
        </Table.Td>
      );
    case "requester":
      return <Table.Td>{ticket.requester.name}</Table.Td>;
    case "status":
      return (
        <Table.Td>
          <StatusBadge status={ticket.status} />
        </Table.Td>
      );
    case "priority":
      return (
        <Table.Td>
          <PriorityBadge priority={ticket.priority} />
        </Table.Td>
      );
    case "assignee":
      return <Table.Td>{ticket.assignee?.name ?? "—"}</Table.Td>;
    case "team":
      return <Table.Td>{ticket.team?.name ?? "—"}</Table.Td>;
    case "channel":
      return <Table.Td>{t(`channel.${ticket.channel}`)}</Table.Td>;
    case "tags":
      return (
        <Table.Td>
          <Group gap={4}>
            {ticket.tags.map((tag) => (
              <Badge key={tag} size="xs" variant="outline">
                {tag}
              </Badge>
            ))}
          </Group>
        </Table.Td>
      );
    case "language":
      return <Table.Td>{ticket.language ?? ""}</Table.Td>;
    case "updated":
      return <Table.Td title={ticket.updatedAt}>{formatRelative(ticket.updatedAt)}</Table.Td>;
    case "created":
      return <Table.Td title={ticket.createdAt}>{formatRelative(ticket.createdAt)}</Table.Td>;
    case "next_due":
      return (
        <Table.Td title={ticket.nextDueAt ?? ""}>
          {ticket.nextDueAt ? formatRelative(ticket.nextDueAt) : "—"}
        </Table.Td>
      );
    default:
      return <Table.Td />;
  }
}

function ViewTable({ view }: { view: CustomView }) {
  const { t } = useTranslation();
  const count = useViewCounts().data?.counts[view.key];
  const list = useViewTickets(view.id, count);
  const items = list.data?.items ?? [];
  const header = (c: string) => (c.startsWith("cf.") ? c.slice(3) : t(`customviews.col.${c}`));
  return (
    <Stack p="md" gap="sm">
      <Group justify="space-between" wrap="nowrap">
        {/* The live count beside the name: on a phone the navigation's badge is behind the menu. */}
        <Group gap="xs" wrap="nowrap">
          <Title order={1} size="h3" data-testid="view-title">
            {view.name}
          </Title>
          {count !== undefined && (
            <Badge variant="light" color="gray" data-testid="view-count" data-count={count}>
              {formatNumber(count)}
            </Badge>
          )}
        </Group>
        {view.editable && (
          <Button component={Link} to={`/views/${view.id}/edit`} variant="default" size="xs">
            {t("customviews.edit")}
          </Button>
        )}
      </Group>
      <Table.ScrollContainer minWidth={600}>
        <Table striped highlightOnHover data-testid="view-table">
          <Table.Thead>
            <Table.Tr>
              {view.columns.map((c) => (
                <Table.Th key={c}>{header(c)}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((tk) => (
              <Table.Tr key={tk.id} data-testid={`view-row-${tk.number}`}>
                {view.columns.map((c) => (
                  <Cell key={c} column={c} ticket={tk} />
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {list.isSuccess && items.length === 0 && <Text c="dimmed">{t("customviews.empty")}</Text>}
    </Stack>
  );
}

/** /views/new, /views/:id and /views/:id/edit. */
export function ViewPage({ me, mode }: { me: Me; mode: "show" | "edit" | "new" }) {
  const { id = "" } = useParams();
  const { t } = useTranslation();
  const views = useCustomViews();
  if (mode === "new") return <ViewEditor me={me} />;
  const view = views.data?.find((v) => v.id === id);
  if (!view) return views.isSuccess ? <Text p="md">{t("customviews.notFound")}</Text> : null;
  return mode === "edit" ? (
    <ViewEditor key={view.updatedAt} me={me} view={view} />
  ) : (
    <ViewTable view={view} />
  );
}
