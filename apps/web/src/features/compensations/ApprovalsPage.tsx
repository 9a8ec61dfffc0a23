import {
  Alert,
  Button,
  Card,
  Group,
  NumberInput,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  Title,
} from "@mantine/core";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ApiError } from "../../lib/api.ts";
import { formatDateTime, formatNumber } from "../../lib/format.ts";
import { formatMoney } from "../promises/api.ts";
import { amountToMinor, formatAmount } from "./amount.ts";
import { type Compensation, useApprovalConfig, useApprovals, useCompensations, useDecide } from "./api.ts";
import { CompensationLine } from "./TicketCompensation.tsx";

/** The customer's value figures beside a request: segment, tier, lifetime spend, purchases, points. */
function ValueFigures({ v }: { v: NonNullable<Compensation["customerValue"]> }) {
  const { t, i18n } = useTranslation();
  const figures: Array<[string, ReactNode]> = [
    [t("compensations.segment"), t(`value.segment.${v.segment}`, { defaultValue: v.segment })],
    [t("compensations.tier"), v.tier ? v.tier.name : t("compensations.noTier")],
    [t("compensations.lifetime"), formatMoney(v.lifetimeMinor, v.baseCurrency, i18n.language)],
    [t("compensations.purchases"), formatNumber(v.purchases)],
    [t("compensations.points"), formatNumber(v.points)],
  ];
  return (
    <Group
      gap="lg"
      wrap="wrap"
      data-testid="customer-value"
      aria-label={t("compensations.valueFigures")}
      role="group"
    >
      {figures.map(([label, value]) => (
        <Stack key={label} gap={0}>
          <Text size="xs" c="dimmed">
            {label}
          </Text>
          <Text size="sm" fw={500} component="div">
            {value}
          </Text>
        </Stack>
      ))}
    </Group>
  );
}

/** The customer's earlier compensations, shown beside a request. */
function History({ c }: { c: Compensation }) {
  const { t } = useTranslation();
  const list = useCompensations({ contactId: c.contact.id });
  const earlier = (list.data?.items ?? []).filter((x) => x.id !== c.id);
  return (
    <Stack gap={4}>
      <Text size="xs" fw={600}>
        {t("compensations.history", { count: earlier.length })}
      </Text>
      {earlier.slice(0, 5).map((x) => (
        <CompensationLine key={x.id} c={x} />
      ))}
    </Stack>
  );
}

function Request({ c }: { c: Compensation }) {
  const { t, i18n } = useTranslation();
  const decide = useDecide();
  const [amount, setAmount] = useState<number | string>("");
  const [comment, setComment] = useState("");
  return (
    <Card withBorder data-testid="approval-request">
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap">
          <Text fw={600}>
            <Link to={`/tickets/${c.ticket.id}`}>
              #{c.ticket.number} {c.ticket.subject}
            </Link>
          </Text>
          <Text size="sm" c="dimmed">
            {formatDateTime(c.createdAt)}
          </Text>
        </Group>
        <Text size="sm">
          {t("compensations.requestLine", {
            agent: c.agent.name,
            amount: formatAmount(c.amountMinor, c.currency, i18n.language, t),
            kind: t(`compensations.kind.${c.kind}`, { defaultValue: c.kind }),
            customer: c.contact.name,
          })}
        </Text>
        <Text size="sm" c="dimmed">
          {c.reason}
        </Text>
        {c.status === "pending_approval" ? (
          c.can.decide ? (
            <Stack gap="xs">
              <Group grow gap="xs" align="flex-start">
                <NumberInput
                  label={t("compensations.lowerAmount", { currency: c.currency })}
                  min={0}
                  value={amount}
                  onChange={setAmount}
                />
                <Textarea
                  label={t("compensations.comment")}
                  value={comment}
                  onChange={(e) => setComment(e.currentTarget.value)}
                  autosize
                />
              </Group>
              {decide.error && (
                <Alert color="red">
                  {decide.error instanceof ApiError ? decide.error.message : String(decide.error)}
                </Alert>
              )}
              <Group gap="xs">
                <Button
                  color="teal.9"
                  loading={decide.isPending}
                  onClick={() =>
                    decide.mutate({
                      id: c.id,
                      approve: true,
                      amountMinor: amount === "" ? undefined : amountToMinor(Number(amount), c.currency),
                      comment,
                    })
                  }
                >
                  {t("compensations.approve")}
                </Button>
                <Button
                  color="red"
                  variant="light"
                  loading={decide.isPending}
                  onClick={() => decide.mutate({ id: c.id, approve: false, comment })}
                >
                  {t("compensations.reject")}
                </Button>
              </Group>
            </Stack>
          ) : (
            <CompensationLine c={c} />
          )
        ) : (
          <CompensationLine c={c} />
        )}
        {c.customerValue && <ValueFigures v={c.customerValue} />}
        <History c={c} />
      </Stack>
    </Card>
  );
}

/** Approvers' queue: pending requests they may decide (and their own requests), or decided ones. */
export function ApprovalsPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<"pending" | "decided">("pending");
  const q = useApprovals(status);
  const config = useApprovalConfig();
  const items = q.data?.items ?? [];
  return (
    <Stack p="md" gap="md" maw={900}>
      <Group justify="space-between">
        <Group gap="md">
          <Title order={2}>{t("compensations.approvals")}</Title>
          {config.data?.canEdit && <Link to="/reports/compensation">{t("compensations.reportTitle")}</Link>}
          {config.data?.canEdit && <Link to="/reports/tone">{t("tone.reportTitle")}</Link>}
        </Group>
        <SegmentedControl
          value={status}
          onChange={(v) => setStatus(v as "pending" | "decided")}
          data={[
            { value: "pending", label: t("compensations.pending") },
            { value: "decided", label: t("compensations.decided") },
          ]}
        />
      </Group>
      {items.length === 0 && <Text c="dimmed">{t("compensations.queueEmpty")}</Text>}
      {items.map((c) => (
        <Request key={c.id} c={c} />
      ))}
    </Stack>
  );
}
