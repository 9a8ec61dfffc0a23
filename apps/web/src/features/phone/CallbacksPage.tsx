import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { type FormEvent, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { FormModal } from "../../components/kit/index.ts";
import { formatDateTime, formatNumber } from "../../lib/format.ts";
import type { Me } from "../../lib/types.ts";
import {
  CALLBACK_OUTCOMES,
  type Callback,
  type CallbackOutcome,
  isoToLocal,
  localToIso,
  type QueueFilter,
  useCallbackOutcome,
  useCallbackReport,
  useCallbacks,
  useUpdateCallback,
} from "./api.ts";
import { phoneError } from "./LogCallDialog.tsx";

function OutcomeDialog({ cb, onClose }: { cb: Callback; onClose: () => void }) {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState<CallbackOutcome>("reached");
  const [retry, setRetry] = useState(() => isoToLocal(new Date(Date.now() + 3600_000)));
  const [minutes, setMinutes] = useState<number>(0);
  const [notes, setNotes] = useState("");
  const save = useCallbackOutcome();
  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate(
      {
        id: cb.id,
        outcome,
        durationSeconds: Math.round(minutes * 60),
        notes,
        ...(outcome === "no_answer" ? { retryAt: localToIso(retry) } : {}),
      },
      { onSuccess: onClose },
    );
  }
  return (
    <FormModal
      opened
      onClose={onClose}
      title={t("phone.cb.logOutcome")}
      onSubmit={submit}
      testId="outcome-form"
      error={save.isError && phoneError(t, save.error)}
      pending={save.isPending}
      submitLabel={t("phone.cb.saveOutcome")}
    >
      <Text size="sm">
        {cb.name || cb.contact.name} · <Anchor href={`tel:${cb.phone}`}>{cb.phone}</Anchor>
      </Text>
      <Select
        label={t("phone.outcome")}
        value={outcome}
        onChange={(v) => v && setOutcome(v as CallbackOutcome)}
        data={CALLBACK_OUTCOMES.map((o) => ({ value: o, label: t(`phone.cb.outcome.${o}`) }))}
        allowDeselect={false}
      />
      {outcome === "no_answer" && (
        <TextInput
          type="datetime-local"
          label={t("phone.cb.retryAt")}
          value={retry}
          onChange={(e) => setRetry(e.currentTarget.value)}
          required
        />
      )}
      <NumberInput
        label={t("phone.minutes")}
        min={0}
        max={1440}
        value={minutes}
        onChange={(v) => setMinutes(Number(v) || 0)}
      />
      <Textarea
        label={t("phone.notes")}
        value={notes}
        onChange={(e) => setNotes(e.currentTarget.value)}
        autosize
        minRows={2}
        maxLength={10_000}
      />
    </FormModal>
  );
}

function Report() {
  const { t } = useTranslation();
  const [days, setDays] = useState("30");
  const range = useMemo(() => {
    const now = Date.now();
    return {
      from: new Date(now - Number(days) * 86_400_000).toISOString(),
      to: new Date(now + 86_400_000).toISOString(),
    };
  }, [days]);
  const report = useCallbackReport(range.from, range.to);
  const r = report.data;
  return (
    <Paper
      withBorder
      p="sm"
      component="section"
      aria-labelledby="cb-report-title"
      data-testid="callback-report"
    >
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h5" id="cb-report-title">
          {t("phone.report.title")}
        </Title>
        <SegmentedControl
          size="xs"
          aria-label={t("phone.report.period")}
          value={days}
          onChange={setDays}
          data={[
            { value: "7", label: t("phone.report.days", { count: 7 }) },
            { value: "30", label: t("phone.report.days", { count: 30 }) },
            { value: "90", label: t("phone.report.days", { count: 90 }) },
          ]}
        />
      </Group>
      {r && (
        <Stack gap={4}>
          <Text fw={700} data-testid="on-time-rate">
            {r.onTimeRate === null
              ? t("phone.report.none")
              : t("phone.report.rate", { rate: formatNumber(Math.round(r.onTimeRate * 100)) })}
          </Text>
          <Text size="sm">
            {t("phone.report.counts", {
              due: formatNumber(r.due),
              onTime: formatNumber(r.onTime),
              late: formatNumber(r.late),
              missed: formatNumber(r.missed),
            })}
          </Text>
          {r.byAgent.map((a) => (
            <Text size="xs" key={a.agent.id}>
              {a.agent.name}: {formatNumber(a.onTime)} / {formatNumber(a.due)}
            </Text>
          ))}
        </Stack>
      )}
    </Paper>
  );
}

/** The call-back queue: soonest due first, overdue ones highlighted; take, call, log the outcome. */
export function CallbacksPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const [who, setWho] = useState<"all" | "me" | "unassigned">("all");
  const [overdue, setOverdue] = useState(false);
  const [status, setStatus] = useState<"open" | "done">("open");
  const filter: QueueFilter = { status, overdue, ...(who !== "all" ? { assignee: who } : {}) };
  const list = useCallbacks(filter);
  const update = useUpdateCallback();
  const [outcomeFor, setOutcomeFor] = useState<Callback | null>(null);
  const items = list.data?.items ?? [];
  return (
    <Stack p="md" gap="md">
      <Title order={1} size="h3">
        {t("phone.queue.title")}
      </Title>
      <Group gap="md">
        <SegmentedControl
          aria-label={t("phone.queue.filter")}
          value={who}
          onChange={(v) => setWho(v as typeof who)}
          data={[
            { value: "all", label: t("phone.queue.all") },
            { value: "me", label: t("phone.queue.mine") },
            { value: "unassigned", label: t("phone.queue.unassigned") },
          ]}
        />
        <SegmentedControl
          aria-label={t("phone.queue.status")}
          value={status}
          onChange={(v) => setStatus(v as typeof status)}
          data={[
            { value: "open", label: t("phone.queue.open") },
            { value: "done", label: t("phone.queue.done") },
          ]}
        />
        <Switch
          label={t("phone.queue.overdueOnly")}
          checked={overdue}
          onChange={(e) => setOverdue(e.currentTarget.checked)}
        />
      </Group>
      {list.isError && <Alert color="red">{t("phone.error")}</Alert>}
      {items.length === 0 && !list.isPending ? (
        <Text c="dimmed">{t("phone.queue.empty")}</Text>
      ) : (
        <Table striped highlightOnHover data-testid="callback-queue">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("phone.queue.due")}</Table.Th>
              <Table.Th>{t("phone.queue.customer")}</Table.Th>
              <Table.Th>{t("phone.number")}</Table.Th>
              <Table.Th>{t("phone.cb.topic")}</Table.Th>
              <Table.Th>{t("phone.queue.assignee")}</Table.Th>
              <Table.Th>{t("phone.queue.actions")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((cb) => (
              <Table.Tr
                key={cb.id}
                data-testid="callback-row"
                data-overdue={cb.overdue || undefined}
                bg={cb.overdue ? "var(--mantine-color-red-light)" : undefined}
              >
                <Table.Td>
                  <Text size="sm">{formatDateTime(cb.dueAt)}</Text>
                  {cb.windowEnd && (
                    <Text size="xs" c="dimmed">
                      {t("phone.queue.until", { time: formatDateTime(cb.windowEnd) })}
                    </Text>
                  )}
                  {cb.overdue && (
                    <Badge color="red" size="sm">
                      {t("phone.queue.overdue")}
                    </Badge>
                  )}
                  {cb.attempts > 0 && (
                    <Badge color="gray" size="sm" ml={4}>
                      {t("phone.queue.attempts", { count: cb.attempts })}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/contacts/${cb.contact.id}`} size="sm">
                    {cb.name || cb.contact.name || cb.phone}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {t(`phone.source.${cb.source}`)}
                    {cb.ticket ? ` · #${cb.ticket.number}` : ""}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Anchor href={`tel:${cb.phone}`} size="sm">
                    {cb.phone}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" lineClamp={2}>
                    {cb.topic}
                  </Text>
                  {cb.outcome && (
                    <Text size="xs" c="dimmed">
                      {t(`phone.cb.outcome.${cb.outcome}`)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{cb.assignee?.name ?? t("phone.queue.nobody")}</Text>
                </Table.Td>
                <Table.Td>
                  {cb.status === "open" && (
                    <Group gap={4}>
                      {cb.assignee?.id !== me.user.id && (
                        <Button
                          size="xs"
                          variant="light"
                          onClick={() => update.mutate({ id: cb.id, assigneeId: me.user.id })}
                        >
                          {t("phone.queue.take")}
                        </Button>
                      )}
                      <Button size="xs" onClick={() => setOutcomeFor(cb)}>
                        {t("phone.cb.logOutcome")}
                      </Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Report />
      {outcomeFor && <OutcomeDialog cb={outcomeFor} onClose={() => setOutcomeFor(null)} />}
    </Stack>
  );
}
