import { Anchor, Badge, Button, Code, Group, Select, Stack, Text } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { DataTable, ListPanel, Pager, usePager } from "../../components/kit/index.ts";
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

/** The status filter above a mail log: "all" or one status. */
function StatusFilter<S extends string>({
  kind,
  statuses,
  value,
  onChange,
}: {
  kind: "inbound" | "outbound";
  statuses: readonly S[];
  value: S | null;
  onChange: (v: S | null) => void;
}) {
  const { t } = useTranslation();
  return (
    <Select
      label={t("email.log.status")}
      value={value ?? "all"}
      allowDeselect={false}
      onChange={(v) => onChange(v === "all" || !v ? null : (v as S))}
      data={[
        { value: "all", label: t("email.log.all") },
        ...statuses.map((s) => ({ value: s, label: t(`email.${kind}.status.${s}`) })),
      ]}
    />
  );
}

/** Received mail; by default the failed ones, each with its error, its raw source and a retry. */
export function InboundPanel() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<InboundStatus | null>("failed");
  const pager = usePager();
  const list = useInbound(status, pager.cursor);
  const retry = useRetry("inbound");
  const items = list.data?.items ?? [];
  return (
    <Stack>
      <ListPanel
        title={t("email.inbound.title")}
        controls={
          <StatusFilter
            kind="inbound"
            statuses={INBOUND_STATUSES}
            value={status}
            onChange={(v) => {
              setStatus(v);
              pager.reset();
            }}
          />
        }
        errors={[retry.error?.message, list.isError && t("common.error")]}
        empty={
          list.data?.items.length === 0 &&
          (status === "failed" ? t("email.inbound.noneFailed") : t("email.log.empty"))
        }
      >
        {items.length > 0 && (
          <DataTable
            label={t("email.inbound.title")}
            rows={items}
            rowKey={(m) => m.id}
            rowProps={(m) => ({ "data-testid": "inbound-row", "data-status": m.status })}
            columns={[
              {
                key: "received",
                header: t("email.log.received"),
                cell: (m) => (
                  <>
                    <Text size="sm" component="time" dateTime={m.receivedAt}>
                      {formatDateTime(m.receivedAt)}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {m.source.toUpperCase()} · {formatBytes(m.size)}
                    </Text>
                  </>
                ),
              },
              { key: "from", header: t("email.log.from"), cell: (m) => m.from ?? m.envelopeFrom ?? "—" },
              {
                key: "subject",
                header: t("email.log.subject"),
                cell: (m) =>
                  m.ticketId ? (
                    <Anchor component={Link} to={`/tickets/${m.ticketId}`} size="sm">
                      {m.subject || t("email.log.noSubject")}
                    </Anchor>
                  ) : (
                    m.subject || t("email.log.noSubject")
                  ),
              },
              {
                key: "status",
                header: t("email.log.status"),
                cell: (m) => (
                  <>
                    <Badge color={STATUS_COLOR[m.status] ?? "gray"} variant="light">
                      {t(`email.inbound.status.${m.status}`)}
                    </Badge>
                    {m.attempts > 1 && (
                      <Text size="xs" c="dimmed">
                        {t("email.log.attempts", { n: m.attempts })}
                      </Text>
                    )}
                  </>
                ),
              },
              {
                key: "error",
                header: t("email.log.error"),
                maw: 360,
                cell: (m) => m.error && <ErrorText testId="inbound-error" text={m.error} />,
              },
              {
                key: "actions",
                header: t("common.actions"),
                hiddenHeader: true,
                cell: (m) => (
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
                ),
              },
            ]}
          />
        )}
      </ListPanel>
      <Pager next={list.data?.nextCursor ?? null} onNext={pager.next} onPrev={pager.prev} />
    </Stack>
  );
}

/** A delivery or processing error, kept to its first 600 characters. */
function ErrorText({ testId, text }: { testId: string; text: string }) {
  return (
    <Code data-testid={testId} block style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }} fz="xs">
      {text.slice(0, 600)}
    </Code>
  );
}

/** The outbound queue: what was sent, what waits, what failed and why. */
export function OutboundPanel() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<OutboundStatus | null>(null);
  const pager = usePager();
  const list = useOutbound(status, pager.cursor);
  const retry = useRetry("outbound");
  const items = list.data?.items ?? [];
  return (
    <Stack>
      <ListPanel
        title={t("email.outbound.title")}
        controls={
          <StatusFilter
            kind="outbound"
            statuses={OUTBOUND_STATUSES}
            value={status}
            onChange={(v) => {
              setStatus(v);
              pager.reset();
            }}
          />
        }
        errors={[retry.error?.message, list.isError && t("common.error")]}
        empty={list.data?.items.length === 0 && t("email.log.empty")}
      >
        {items.length > 0 && (
          <DataTable
            label={t("email.outbound.title")}
            rows={items}
            rowKey={(o) => o.id}
            rowProps={(o) => ({ "data-testid": "outbound-row", "data-status": o.status })}
            columns={[
              {
                key: "created",
                header: t("email.log.created"),
                cell: (o) => (
                  <>
                    <Text size="sm" component="time" dateTime={o.createdAt}>
                      {formatDateTime(o.createdAt)}
                    </Text>
                    {o.sentAt && (
                      <Text size="xs" c="dimmed">
                        {t("email.outbound.sentAt", { at: formatDateTime(o.sentAt) })}
                      </Text>
                    )}
                  </>
                ),
              },
              {
                key: "kind",
                header: t("email.outbound.kind"),
                cell: (o) => t(`email.outbound.kinds.${o.kind}`, { defaultValue: o.kind }),
              },
              {
                key: "to",
                header: t("email.outbound.to"),
                cell: (o) => <Text size="sm">{[...o.to, ...o.cc].join(", ")}</Text>,
              },
              {
                key: "subject",
                header: t("email.log.subject"),
                cell: (o) =>
                  o.ticketId ? (
                    <Anchor component={Link} to={`/tickets/${o.ticketId}`} size="sm">
                      {o.subject}
                    </Anchor>
                  ) : (
                    o.subject
                  ),
              },
              {
                key: "status",
                header: t("email.log.status"),
                cell: (o) => (
                  <>
                    <Badge color={STATUS_COLOR[o.status] ?? "gray"} variant="light">
                      {t(`email.outbound.status.${o.status}`)}
                    </Badge>
                    <Text size="xs" c="dimmed">
                      {t("email.log.attempts", { n: o.attempts })}
                    </Text>
                  </>
                ),
              },
              {
                key: "reason",
                header: t("email.outbound.reason"),
                maw: 360,
                cell: (o) => o.lastError && <ErrorText testId="outbound-error" text={o.lastError} />,
              },
              {
                key: "actions",
                header: t("common.actions"),
                hiddenHeader: true,
                cell: (o) =>
                  (o.status === "failed" || o.status === "bounced") && (
                    <Button
                      size="compact-xs"
                      loading={retry.isPending && retry.variables === o.id}
                      onClick={() => retry.mutate(o.id)}
                    >
                      {t("email.log.retry")}
                    </Button>
                  ),
              },
            ]}
          />
        )}
      </ListPanel>
      <Pager next={list.data?.nextCursor ?? null} onNext={pager.next} onPrev={pager.prev} />
    </Stack>
  );
}
