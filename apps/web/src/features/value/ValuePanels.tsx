import {
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { formatDate, formatNumber } from "../../lib/format.ts";
import type { Me, Ticket } from "../../lib/types.ts";
import { formatMoney } from "../promises/api.ts";
import {
  type ContactValue,
  ORDER_STATUS_COLORS,
  type Order,
  RELATIONSHIP_TYPES,
  type RelationshipType,
  SEGMENT_COLORS,
  useContactOrders,
  useContactValue,
  useLinkOrder,
  useSetRelationship,
} from "./api.ts";
import { TierBadge } from "./TierBadge.tsx";

export function SegmentBadge({ value }: { value: Pick<ContactValue, "segment"> }) {
  const { t } = useTranslation();
  return (
    <Badge color={SEGMENT_COLORS[value.segment]} variant="light" data-testid="segment-badge">
      {t(`value.segment.${value.segment}`)}
    </Badge>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={600}>
        {value}
      </Text>
    </div>
  );
}

/**
 * The customer's relationship type (Piercy): the confirmed one, else Rapport's suggestion, the
 * recommended way of working with it, and a choice for the account manager, managers, admins.
 */
function Relationship({ v }: { v: ContactValue }) {
  const { t } = useTranslation();
  const set = useSetRelationship(v.contactId);
  const type = v.relationshipType ?? v.relationshipSuggested;
  return (
    <Stack gap={4} data-testid="relationship">
      <Group gap="xs" wrap="wrap">
        <Text size="sm" fw={600}>
          {t("value.relationship.title")}:
        </Text>
        <Text size="sm" data-testid="relationship-type">
          {type ? t(`value.relationship.type.${type}`) : t("value.relationship.none")}
        </Text>
        {!v.relationshipType && v.relationshipSuggested && (
          <Badge size="sm" variant="outline" color="gray">
            {t("value.relationship.suggested")}
          </Badge>
        )}
      </Group>
      {type && (
        <Text size="sm" c="dimmed" data-testid="relationship-advice">
          {t(`value.relationship.advice.${type}`)}
        </Text>
      )}
      {v.canSetRelationship && (
        <Group gap="xs" align="flex-end" wrap="wrap">
          <Select
            size="xs"
            label={t("value.relationship.set")}
            data={RELATIONSHIP_TYPES.map((r) => ({ value: r, label: t(`value.relationship.type.${r}`) }))}
            value={v.relationshipType}
            onChange={(r) => set.mutate((r as RelationshipType | null) ?? null)}
            clearable
            disabled={set.isPending}
            data-testid="relationship-select"
          />
          {!v.relationshipType && v.relationshipSuggested && (
            <Button
              size="xs"
              variant="light"
              loading={set.isPending}
              onClick={() => set.mutate(v.relationshipSuggested)}
            >
              {t("value.relationship.confirm")}
            </Button>
          )}
        </Group>
      )}
    </Stack>
  );
}

/** The dossier's value panel: segment, scores, expected interval, next reminder, tier, points. */
export function ContactValuePanel({ contactId }: { contactId: string; me: Me }) {
  const { t, i18n } = useTranslation();
  const q = useContactValue(contactId);
  if (q.isLoading) return <Loader size="sm" />;
  if (!q.data) return null;
  const v = q.data;
  const score = (n: number | null) => (n === null ? "–" : String(n));
  return (
    <Paper withBorder p="md" data-testid="value-panel">
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap">
          <Title order={4}>{t("value.panel.title")}</Title>
          <Group gap={4}>
            <SegmentBadge value={v} />
            <TierBadge tier={v.tier} />
          </Group>
        </Group>
        <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="xs">
          <Figure label={t("value.rfm")} value={`${score(v.r)} · ${score(v.f)} · ${score(v.m)}`} />
          <Figure label={t("value.purchases")} value={formatNumber(v.purchases)} />
          <Figure
            label={t("value.lifetime")}
            value={formatMoney(v.lifetimeMinor, v.baseCurrency, i18n.language)}
          />
          <Figure
            label={t("value.daysSince")}
            value={v.daysSinceLastPurchase === null ? "–" : formatNumber(v.daysSinceLastPurchase)}
          />
          <Figure
            label={v.ownInterval ? t("value.intervalOwn") : t("value.intervalOrg")}
            value={formatNumber(Math.round(v.intervalDays))}
          />
          <Figure
            label={t("value.nextReminder")}
            value={v.nextReminderAt ? formatDate(v.nextReminderAt) : "–"}
          />
          <Figure label={t("value.points")} value={formatNumber(v.points)} />
          {v.tier && v.tier.discountPercent > 0 && (
            <Figure label={t("value.discount")} value={`${v.tier.discountPercent}%`} />
          )}
        </SimpleGrid>
        <Relationship v={v} />
      </Stack>
    </Paper>
  );
}

function OrderRow({ o, action }: { o: Order; action?: React.ReactNode }) {
  const { t, i18n } = useTranslation();
  return (
    <Group justify="space-between" wrap="nowrap" gap="xs" data-testid="order-row">
      <div style={{ minWidth: 0 }}>
        <Text size="sm" fw={600} truncate>
          {t("value.orders.number", { number: o.number })}
        </Text>
        <Text size="xs" c="dimmed">
          {formatDate(o.placedAt)}
          {o.channel ? ` · ${o.channel}` : ""}
          {o.coupon ? ` · ${t("value.orders.coupon", { code: o.coupon })}` : ""}
        </Text>
      </div>
      <Group gap={6} wrap="nowrap">
        <Badge size="sm" variant="light" color={ORDER_STATUS_COLORS[o.status]}>
          {t(`value.orders.status.${o.status}`)}
        </Badge>
        <Text size="sm" td={o.purchase ? undefined : "line-through"}>
          {formatMoney(o.totalMinor, o.currency, i18n.language)}
        </Text>
        {action}
      </Group>
    </Group>
  );
}

/** The dossier's orders panel: lifetime figures and the latest orders. */
export function ContactOrdersPanel({ contactId }: { contactId: string; me: Me }) {
  const { t, i18n } = useTranslation();
  const q = useContactOrders(contactId, 10);
  if (q.isLoading) return <Loader size="sm" />;
  if (!q.data) return null;
  const { items, summary } = q.data;
  return (
    <Paper withBorder p="md" data-testid="orders-panel">
      <Stack gap="xs">
        <Title order={4}>{t("value.orders.title")}</Title>
        <Text size="sm">
          {t("value.orders.summary", { count: summary.purchases })}
          {summary.spend.length > 0 &&
            ` · ${summary.spend.map((s) => formatMoney(s.totalMinor, s.currency, i18n.language)).join(" + ")}`}
        </Text>
        {items.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("value.orders.none")}
          </Text>
        ) : (
          items.map((o) => <OrderRow key={o.id} o={o} />)
        )}
      </Stack>
    </Paper>
  );
}

/** The ticket sidebar: the requester's segment and tier, last orders, link an order to this ticket. */
export function TicketValuePanel({ ticket }: { ticket: Ticket; me: Me }) {
  const { t } = useTranslation();
  const value = useContactValue(ticket.requester.id);
  const orders = useContactOrders(ticket.requester.id, 3);
  const link = useLinkOrder(ticket.id);
  if (!value.data) return null;
  return (
    <Stack gap="xs" data-testid="ticket-value">
      <Group justify="space-between">
        <Text size="sm" fw={600}>
          {t("value.sidebar.title")}
        </Text>
        <Group gap={4}>
          <SegmentBadge value={value.data} />
          <TierBadge tier={value.data.tier} />
        </Group>
      </Group>
      {(orders.data?.items ?? []).map((o) => {
        const linked = o.ticketIds.includes(ticket.id);
        return (
          <OrderRow
            key={o.id}
            o={o}
            action={
              <Button
                size="compact-xs"
                variant={linked ? "filled" : "default"}
                loading={link.isPending}
                onClick={() => link.mutate({ orderId: o.id, linked })}
                aria-pressed={linked}
              >
                {linked ? t("value.sidebar.linked") : t("value.sidebar.link")}
              </Button>
            }
          />
        );
      })}
      <Anchor size="xs" component={Link} to={`/contacts/${ticket.requester.id}`}>
        {t("value.sidebar.dossier")}
      </Anchor>
    </Stack>
  );
}
