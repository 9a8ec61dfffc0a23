import { Alert, Anchor, Badge, Button, Code, Group, Select, Stack, Table, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { formatBytes, formatDateTime } from "../../lib/format.ts";
import {
  INBOUND_STATUSES,
  type InboundStatus,
  OUTBOUND_STATUSES,
  type OutboundStatus,
  useInbound,
  useOutbound,
  useRetry,
} from "./api.ts";

const STATUS_COLOR: Record<string, string> = {
  failed: "red",
  bounced: "red",
  bounce: "orange",
  queued: "blue",
  received: "blue",
  sent: "green",
  processed: "green",
  duplicate: "gray",
  ignored: "gray",
};

/** Cursor paging: a stack of cursors, so "previous" goes back without refetching from the start. */
function usePager() {
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  return {
    cursor,
    reset: () => setCursors([null]),
    next: (c: string) => setCursors((old) => [...old, c]),
    prev: cursors.length > 1 ? () => setCursors((old) => old.slice(0, -1)) : undefined,
  };
}

function Pager({
  next,
  onNext,
  onPrev,
}: {
  next: string | null;
  onNext: (c: string) => void;
  onPrev?: () => void;
}) {
  const { t } = useTranslation();
  if (!next && !onPrev) return null;
  return (
    <Group justify="flex-end">
      <Button size="xs" variant="default" disabled={!onPrev} onClick={onPrev}>
        {t("email.log.previous")}
      </Button>
      <Button size="xs" variant="default" disabled={!next} onClick={() => next && onNext(next)}>
        {t("email.log.next")}
      </Button>
    </Group>
  );
}

/** Received mail; by default the failed ones, each with its error, its raw source and a retry. */
export function InboundPanel() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<InboundStatus | null>("failed");
  const pager = usePager();
  const list = useInbound(status, pager.cursor);
  const retry = useRetry("inbound");
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={2} size="h4">
          {t("email.inbound.title")}
        </Title>
        <Select
          label={t("email.log.status")}
          value={status ?? "all"}
          allowDeselect={false}
          onChange={(v) => {
            setStatus(v === "all" || !v ? null : (v as InboundStatus));
            pager.reset();
          }}
          data={[
            { value: "all", label: t("email.log.all") },
            ...INBOUND_STATUSES.map((s) => ({ value: s, label: t(`email.inbound.status.${s}`) })),
          ]}
        />
      </Group>
      {retry.isError && (
        <Alert color="red" role="alert">
          {retry.error.message}
        </Alert>
      )}
      {list.isError && (
        <Alert color="red" role="alert">
          {t("common.error")}
        </Alert>
      )}
      {list.data?.items.length === 0 && (
        <Text c="dimmed">{status === "failed" ? t("email.inbound.noneFailed") : t("email.log.empty")}</Text>
      )}
      {(list.data?.items.length ?? 0) > 0 && (
        <Table striped aria-label={t("email.inbound.title")}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("email.log.received")}</Table.Th>
              <Table.Th>{t("email.log.from")}</Table.Th>
              <Table.Th>{t("email.log.subject")}</Table.Th>
              <Table.Th>{t("email.log.status")}</Table.Th>
              <Table.Th>{t("email.log.error")}</Table.Th>
              <Table.Th>
                <span className="sr-only">{t("common.actions")}</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data?.items.map((m) => (
              <Table.Tr key={m.id} data-testid="inbound-row" data-status={m.status}>
                <Table.Td>
                  <Text size="sm" component="time" dateTime={m.receivedAt}>
                    {formatDateTime(m.receivedAt)}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {m.source.toUpperCase()} · {formatBytes(m.size)}
                  </Text>
                </Table.Td>
                <Table.Td>{m.from ?? m.envelopeFrom ?? "—"}</Table.Td>
                <Table.Td>
                  {m.ticketId ? (
                    <Anchor component={Link} to={`/tickets/${m.ticketId}`} size="sm">
                      {m.subject || t("email.log.noSubject")}
                    </Anchor>
                  ) : (
                    m.subject || t("email.log.noSubject")
                  )}
                </Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLOR[m.status] ?? "gray"} variant="light">
                    {t(`email.inbound.status.${m.status}`)}
                  </Badge>
                  {m.attempts > 1 && (
                    <Text size="xs" c="dimmed">
                      {t("email.log.attempts", { n: m.attempts })}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td maw={360}>
                  {m.error && (
                    <Code
                      data-testid="inbound-error"
                      block
                      style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }}
                      fz="xs"
                    >
                      {m.error.slice(0, 600)}
                    </Code>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Button
                      component="a"
                      href={`/api/v1/email/inbound/${m.id}/raw`}
                      download={`${m.id}.eml`}
                      size="compact-xs"
                      variant="subtle"
                    >
                      {t("email.inbound.raw")}
                    </Button>
                    {m.status === "failed" && (
                      <Button
                        size="compact-xs"
                        loading={retry.isPending && retry.variables === m.id}
                        onClick={() => retry.mutate(m.id)}
                      >
                        {t("email.log.retry")}
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Pager next={list.data?.nextCursor ?? null} onNext={pager.next} onPrev={pager.prev} />
    </Stack>
  );
}

/** The outbound queue: what was sent, what waits, what failed and why. */
export function OutboundPanel() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<OutboundStatus | null>(null);
  const pager = usePager();
  const list = useOutbound(status, pager.cursor);
  const retry = useRetry("outbound");
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={2} size="h4">
          {t("email.outbound.title")}
        </Title>
        <Select
          label={t("email.log.status")}
          value={status ?? "all"}
          allowDeselect={false}
          onChange={(v) => {
            setStatus(v === "all" || !v ? null : (v as OutboundStatus));
            pager.reset();
          }}
          data={[
            { value: "all", label: t("email.log.all") },
            ...OUTBOUND_STATUSES.map((s) => ({ value: s, label: t(`email.outbound.status.${s}`) })),
          ]}
        />
      </Group>
      {retry.isError && (
        <Alert color="red" role="alert">
          {retry.error.message}
        </Alert>
      )}
      {list.isError && (
        <Alert color="red" role="alert">
          {t("common.error")}
        </Alert>
      )}
      {list.data?.items.length === 0 && <Text c="dimmed">{t("email.log.empty")}</Text>}
      {(list.data?.items.length ?? 0) > 0 && (
        <Table striped aria-label={t("email.outbound.title")}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("email.log.created")}</Table.Th>
              <Table.Th>{t("email.outbound.kind")}</Table.Th>
              <Table.Th>{t("email.outbound.to")}</Table.Th>
              <Table.Th>{t("email.log.subject")}</Table.Th>
              <Table.Th>{t("email.log.status")}</Table.Th>
              <Table.Th>{t("email.outbound.reason")}</Table.Th>
              <Table.Th>
                <span className="sr-only">{t("common.actions")}</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data?.items.map((o) => (
              <Table.Tr key={o.id} data-testid="outbound-row" data-status={o.status}>
                <Table.Td>
                  <Text size="sm" component="time" dateTime={o.createdAt}>
                    {formatDateTime(o.createdAt)}
                  </Text>
                  {o.sentAt && (
                    <Text size="xs" c="dimmed">
                      {t("email.outbound.sentAt", { at: formatDateTime(o.sentAt) })}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{t(`email.outbound.kinds.${o.kind}`, { defaultValue: o.kind })}</Table.Td>
                <Table.Td>
                  <Text size="sm">{[...o.to, ...o.cc].join(", ")}</Text>
                </Table.Td>
                <Table.Td>
                  {o.ticketId ? (
                    <Anchor component={Link} to={`/tickets/${o.ticketId}`} size="sm">
                      {o.subject}
                    </Anchor>
                  ) : (
                    o.subject
                  )}
                </Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLOR[o.status] ?? "gray"} variant="light">
                    {t(`email.outbound.status.${o.status}`)}
                  </Badge>
                  <Text size="xs" c="dimmed">
                    {t("email.log.attempts", { n: o.attempts })}
                  </Text>
                </Table.Td>
                <Table.Td maw={360}>
                  {o.lastError && (
                    <Code
                      data-testid="outbound-error"
                      block
                      style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }}
                      fz="xs"
                    >
                      {o.lastError.slice(0, 600)}
                    </Code>
                  )}
                </Table.Td>
                <Table.Td>
                  {(o.status === "failed" || o.status === "bounced") && (
                    <Button
                      size="compact-xs"
                      loading={retry.isPending && retry.variables === o.id}
                      onClick={() => retry.mutate(o.id)}
                    >
                      {t("email.log.retry")}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Pager next={list.data?.nextCursor ?? null} onNext={pager.next} onPrev={pager.prev} />
    </Stack>
  );
}
