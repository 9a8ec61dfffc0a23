import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  NativeSelect,
  NumberInput,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { LOYALTY_POINTS_KIND, POINTS_CURRENCY } from "@rapport/shared";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../lib/api.ts";
import type { Me, Ticket } from "../../lib/types.ts";
import { amountToMinor, formatAmount } from "./amount.ts";
import { type Compensation, useApprovalConfig, useCompensations, useGrant } from "./api.ts";

const STATUS_COLOR: Record<Compensation["status"], string> = {
  granted: "green",
  pending_approval: "yellow",
  rejected: "red",
  reversed: "gray",
};

/** One compensation: kind, amount, state (and who decides now, or who decided). */
export function CompensationLine({ c }: { c: Compensation }) {
  const { t, i18n } = useTranslation();
  const amount = formatAmount(c.grantedMinor ?? c.amountMinor, c.currency, i18n.language, t);
  return (
    <Stack gap={2} data-testid="compensation-item">
      <Group gap={6} justify="space-between" wrap="nowrap">
        <Text size="sm" fw={500}>
          {t(`compensations.kind.${c.kind}`, { defaultValue: c.kind })} · {amount}
        </Text>
        <Badge color={STATUS_COLOR[c.status]} variant="light" size="sm">
          {t(`compensations.status.${c.status}`)}
        </Badge>
      </Group>
      {c.grantedMinor !== null && c.grantedMinor < c.amountMinor && (
        <Text size="xs" c="dimmed">
          {t("compensations.askedFor", { amount: formatAmount(c.amountMinor, c.currency, i18n.language, t) })}
        </Text>
      )}
      {c.approverStep && (
        <Text size="xs" c="dimmed">
          {t("compensations.waitingFor", { step: t(`compensations.step.${c.approverStep}`) })}
        </Text>
      )}
      {c.decidedBy && (
        <Text size="xs" c="dimmed">
          {t("compensations.decidedBy", { name: c.decidedBy.name })}
          {c.decisionComment ? ` · ${c.decisionComment}` : ""}
        </Text>
      )}
      <Text size="xs" c="dimmed" lineClamp={2}>
        {c.agent.name}: {c.reason}
      </Text>
    </Stack>
  );
}

function GrantForm({ ticket, onDone }: { ticket: Ticket; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const config = useApprovalConfig();
  const grant = useGrant();
  const kinds = (config.data?.kinds ?? []).filter((k) => k.active);
  const [kind, setKind] = useState("refund");
  const [amount, setAmount] = useState<number | string>("");
  const [typedCurrency, setCurrency] = useState("USD");
  const points = kind === LOYALTY_POINTS_KIND;
  const currency = points ? POINTS_CURRENCY : typedCurrency;
  const [reason, setReason] = useState("");
  const [tell, setTell] = useState(false);
  const mine = config.data?.mine.find((m) => m.kind === kind && m.currency === currency);
  const result = grant.data;
  if (result)
    return (
      <Stack gap="sm">
        <Alert color={result.status === "granted" ? "green" : "yellow"} data-testid="grant-result">
          {t(
            result.status !== "granted"
              ? "compensations.sentForApproval"
              : result.kind === LOYALTY_POINTS_KIND
                ? "compensations.grantedPoints"
                : "compensations.grantedNow",
          )}
        </Alert>
        <Button onClick={onDone}>{t("compensations.close")}</Button>
      </Stack>
    );
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        grant.mutate({
          ticketId: ticket.id,
          kind,
          amountMinor: amountToMinor(Number(amount), currency),
          currency,
          reason,
          tellCustomer: tell,
        });
      }}
    >
      <Stack gap="xs">
        <NativeSelect
          label={t("compensations.kindLabel")}
          value={kind}
          onChange={(e) => setKind(e.currentTarget.value)}
          data={kinds.map((k) => ({
            value: k.key,
            label: k.builtin ? t(`compensations.kind.${k.key}`) : k.label,
          }))}
        />
        <Group grow gap="xs" align="flex-start">
          <NumberInput
            label={t(points ? "compensations.pointsLabel" : "compensations.amount")}
            min={0}
            allowDecimal={!points}
            value={amount}
            onChange={setAmount}
            required
          />
          {!points && (
            <TextInput
              label={t("compensations.currency")}
              value={currency}
              maxLength={3}
              onChange={(e) => setCurrency(e.currentTarget.value.toUpperCase())}
              required
            />
          )}
        </Group>
        <Text size="xs" c="dimmed" data-testid="my-limit">
          {mine?.unlimited
            ? t("compensations.unlimited")
            : mine
              ? t("compensations.myLimit", {
                  perCase:
                    mine.perCaseMinor === null
                      ? "—"
                      : formatAmount(mine.perCaseMinor, currency, i18n.language, t),
                  perMonth:
                    mine.perMonthMinor === null
                      ? "—"
                      : formatAmount(mine.perMonthMinor, currency, i18n.language, t),
                  used: formatAmount(mine.usedThisMonthMinor, currency, i18n.language, t),
                })
              : t("compensations.noLimit")}
        </Text>
        <Textarea
          label={t("compensations.reason")}
          value={reason}
          maxLength={2000}
          autosize
          minRows={2}
          onChange={(e) => setReason(e.currentTarget.value)}
          required
        />
        <Checkbox
          label={t("compensations.tellCustomer")}
          checked={tell}
          onChange={(e) => setTell(e.currentTarget.checked)}
        />
        {grant.error && (
          <Alert color="red">
            {grant.error instanceof ApiError ? grant.error.message : String(grant.error)}
          </Alert>
        )}
        <Group gap="xs">
          <Button type="submit" loading={grant.isPending} disabled={!amount || !reason.trim()}>
            {t("compensations.grant")}
          </Button>
          <Button variant="subtle" onClick={onDone}>
            {t("compensations.cancel")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The ticket's compensations and the "Compensation" action (ticket sidebar). */
export function TicketCompensation({ ticket }: { ticket: Ticket; me: Me }) {
  const { t } = useTranslation();
  const list = useCompensations({ ticketId: ticket.id });
  const [open, setOpen] = useState(false);
  const items = list.data?.items ?? [];
  return (
    <Stack gap="xs" data-testid="ticket-compensation">
      <Group justify="space-between">
        <Title order={4}>{t("compensations.title")}</Title>
        <Button size="xs" variant="light" onClick={() => setOpen(true)} disabled={ticket.status === "closed"}>
          {t("compensations.action")}
        </Button>
      </Group>
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("compensations.none")}
        </Text>
      ) : (
        items.map((c) => <CompensationLine key={c.id} c={c} />)
      )}
      <Modal opened={open} onClose={() => setOpen(false)} title={t("compensations.action")}>
        {open && <GrantForm ticket={ticket} onDone={() => setOpen(false)} />}
      </Modal>
    </Stack>
  );
}
