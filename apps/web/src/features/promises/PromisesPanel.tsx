import {
  Alert,
  Button,
  Divider,
  Group,
  NativeSelect,
  NumberInput,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../lib/api.ts";
import type { Me, Ticket } from "../../lib/types.ts";
import { PROMISE_KINDS, type PromiseKind, toMinor, useCreatePromise, usePromises } from "./api.ts";
import { PromiseItem } from "./PromiseList.tsx";

const localInput = (d: Date) => {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
};

function PromiseForm({
  ticketId,
  contactId,
  onDone,
}: {
  ticketId?: string;
  contactId?: string;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const create = useCreatePromise();
  const [kind, setKind] = useState<PromiseKind>("call_back");
  const [description, setDescription] = useState("");
  const [amount, setAmount] = useState<number | string>("");
  const [currency, setCurrency] = useState("VND");
  const [percent, setPercent] = useState<number | string>("");
  const [due, setDue] = useState(() => localInput(new Date(Date.now() + 86_400_000)));
  const money = kind === "refund" || kind === "discount";
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate(
          {
            ticketId,
            contactId,
            kind,
            description,
            dueAt: new Date(due).toISOString(),
            ...(money && amount !== "" ? { amountMinor: toMinor(Number(amount), currency), currency } : {}),
            ...(kind === "discount" && percent !== "" && amount === "" ? { percent: Number(percent) } : {}),
          },
          { onSuccess: onDone },
        );
      }}
    >
      <Stack gap="xs">
        <NativeSelect
          label={t("promises.kindLabel")}
          value={kind}
          onChange={(e) => setKind(e.currentTarget.value as PromiseKind)}
          data={PROMISE_KINDS.map((k) => ({ value: k, label: t(`promises.kind.${k}`) }))}
        />
        <TextInput
          label={t("promises.description")}
          value={description}
          maxLength={2000}
          onChange={(e) => setDescription(e.currentTarget.value)}
        />
        {money && (
          <Group grow gap="xs">
            <NumberInput label={t("promises.amount")} min={0} value={amount} onChange={setAmount} />
            <TextInput
              label={t("promises.currency")}
              value={currency}
              maxLength={3}
              onChange={(e) => setCurrency(e.currentTarget.value.toUpperCase())}
            />
          </Group>
        )}
        {kind === "discount" && (
          <NumberInput
            label={t("promises.percent")}
            min={1}
            max={100}
            value={percent}
            onChange={setPercent}
          />
        )}
        <TextInput
          type="datetime-local"
          label={t("promises.due")}
          value={due}
          onChange={(e) => setDue(e.currentTarget.value)}
          required
        />
        {create.error && (
          <Alert color="red">
            {create.error instanceof ApiError ? create.error.message : String(create.error)}
          </Alert>
        )}
        <Group gap="xs">
          <Button type="submit" size="xs" loading={create.isPending}>
            {t("promises.save")}
          </Button>
          <Button size="xs" variant="subtle" onClick={onDone}>
            {t("promises.cancelForm")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Panel({ ticketId, contactId }: { ticketId?: string; contactId?: string }) {
  const { t } = useTranslation();
  const list = usePromises(ticketId ? { ticketId } : { contactId }).data?.items ?? [];
  const [adding, setAdding] = useState(false);
  const open = list.filter((p) => p.status === "open");
  const done = list.filter((p) => p.status !== "open");
  return (
    <Stack gap="xs" component="section" aria-labelledby={`promises-${ticketId ?? contactId}`}>
      <Group justify="space-between">
        <Title order={4} size="h6" id={`promises-${ticketId ?? contactId}`}>
          {t("promises.title")}
        </Title>
        {!adding && (
          <Button size="compact-xs" variant="light" onClick={() => setAdding(true)}>
            {t("promises.record")}
          </Button>
        )}
      </Group>
      {adding && (
        <PromiseForm
          ticketId={ticketId}
          contactId={ticketId ? undefined : contactId}
          onDone={() => setAdding(false)}
        />
      )}
      {open.length === 0 && !adding && (
        <Text size="sm" c="dimmed">
          {t("promises.none")}
        </Text>
      )}
      {open.map((p) => (
        <PromiseItem key={p.id} p={p} showTicket={!ticketId} />
      ))}
      {done.length > 0 && <Divider label={t("promises.history")} labelPosition="left" />}
      {done.slice(0, 5).map((p) => (
        <PromiseItem key={p.id} p={p} showTicket={!ticketId} />
      ))}
    </Stack>
  );
}

export function TicketPromises({ ticket }: { ticket: Ticket; me: Me }) {
  return <Panel ticketId={ticket.id} />;
}
export function ContactPromises({ contactId }: { contactId: string; me: Me }) {
  return <Panel contactId={contactId} />;
}
