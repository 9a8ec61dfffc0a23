import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  MultiSelect,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { del, get, post } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import type { Delivery, Webhook } from "./api.ts";

const EVENTS = ["ticket.created", "ticket.updated", "message.created"];

function DeliveryLog({ hook }: { hook: Webhook }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const log = useQuery({
    queryKey: ["deliveries", hook.id],
    queryFn: () => get<Delivery[]>(`/webhooks/${hook.id}/deliveries?limit=50`),
    // Polled while the log is open: deliveries are job attempts, which publish no realtime event.
    refetchInterval: 5000,
  });
  const retry = useMutation({
    mutationFn: (id: string) => post(`/webhooks/${hook.id}/deliveries/${id}/retry`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["deliveries", hook.id] }),
  });
  return (
    <Table fz="xs" aria-label={t("automations.deliveryLog", { name: hook.name })}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t("automations.when")}</Table.Th>
          <Table.Th>{t("automations.event")}</Table.Th>
          <Table.Th>{t("automations.status")}</Table.Th>
          <Table.Th>{t("automations.httpCode")}</Table.Th>
          <Table.Th>{t("automations.duration")}</Table.Th>
          <Table.Th>{t("automations.attempts")}</Table.Th>
          <Table.Th>{t("automations.error")}</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {(log.data ?? []).map((d) => (
          <Table.Tr key={d.id}>
            <Table.Td>{formatDateTime(d.createdAt)}</Table.Td>
            <Table.Td>{d.event}</Table.Td>
            <Table.Td>
              <Badge
                size="xs"
                color={d.status === "success" ? "green" : d.status === "failed" ? "red" : "yellow"}
              >
                {t(`automations.delivery.${d.status}`)}
              </Badge>
            </Table.Td>
            <Table.Td>{d.responseCode ?? "—"}</Table.Td>
            <Table.Td>{d.durationMs === null ? "—" : `${d.durationMs} ms`}</Table.Td>
            <Table.Td>{d.attempts}</Table.Td>
            <Table.Td>{d.error ?? ""}</Table.Td>
            <Table.Td>
              {d.status === "failed" && (
                <Button size="compact-xs" variant="subtle" onClick={() => retry.mutate(d.id)}>
                  {t("automations.retry")}
                </Button>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Outgoing webhooks: URL and events, the signing secret shown once, test pings, the delivery log. */
export default function WebhooksAdmin() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const hooks = useQuery({ queryKey: ["webhooks"], queryFn: () => get<Webhook[]>("/webhooks") });
  const [events, setEvents] = useState<string[]>(["ticket.created"]);
  const [secret, setSecret] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: ["webhooks"] });
  const create = useMutation({
    mutationFn: (b: unknown) => post<Webhook>("/webhooks", b),
    onSuccess: (w) => {
      setSecret(w.secret ?? null);
      void refresh();
    },
  });
  const ping = useMutation({
    mutationFn: (id: string) => post(`/webhooks/${id}/ping`),
    onSuccess: (_r, id) => {
      setOpen(id);
      void qc.invalidateQueries({ queryKey: ["deliveries", id] });
    },
  });
  const remove = useMutation({ mutationFn: (id: string) => del(`/webhooks/${id}`), onSuccess: refresh });
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    create.mutate({ name: f.get("name"), url: f.get("url"), events }, { onSuccess: () => form.reset() });
  };
  return (
    <Stack>
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="sm">
          {t("automations.newWebhook")}
        </Title>
        <form onSubmit={submit}>
          <Group align="flex-end">
            <TextInput name="name" label={t("automations.name")} required maxLength={200} />
            <TextInput name="url" label={t("automations.url")} required type="url" maxLength={2000} w={320} />
            <MultiSelect label={t("automations.events")} data={EVENTS} value={events} onChange={setEvents} />
            <Button type="submit" loading={create.isPending}>
              {t("automations.save")}
            </Button>
          </Group>
        </form>
        {create.error && (
          <Alert color="red" mt="sm">
            {create.error.message}
          </Alert>
        )}
        {secret && (
          <Alert color="blue" mt="sm" title={t("automations.secretTitle")}>
            <Text size="sm">{t("automations.secretOnce")}</Text>
            <Code block>{secret}</Code>
            <Text size="xs" mt={4}>
              {t("automations.signatureHelp")}
            </Text>
          </Alert>
        )}
      </Paper>
      {(hooks.data ?? []).map((h) => (
        <Paper key={h.id} withBorder p="sm">
          <Group justify="space-between">
            <div>
              <Text fw={500}>{h.name}</Text>
              <Text size="xs" c="dimmed">
                {h.url} · {h.events.join(", ")} · {h.secretHint}
              </Text>
            </div>
            <Group gap="xs">
              <Button size="xs" variant="light" onClick={() => ping.mutate(h.id)}>
                {t("automations.ping")}
              </Button>
              <Button size="xs" variant="default" onClick={() => setOpen(open === h.id ? null : h.id)}>
                {t("automations.showLog")}
              </Button>
              <Button
                size="xs"
                variant="subtle"
                color="red"
                onClick={() => remove.mutate(h.id)}
                aria-label={t("automations.deleteNamed", { name: h.name })}
              >
                {t("automations.delete")}
              </Button>
            </Group>
          </Group>
          {open === h.id && <DeliveryLog hook={h} />}
        </Paper>
      ))}
    </Stack>
  );
}
