import { Alert, Anchor, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { ApiError } from "../../lib/api.ts";
import type { Me, Ticket } from "../../lib/types.ts";
import { useRealtime } from "../realtime/RealtimeProvider.tsx";
import { linksKey, useLink, useLinks, useMerge } from "./api.ts";
import { TicketPicker } from "./TicketPicker.tsx";

/** Changes (pushed over the websocket) after which a ticket's thread and links are reloaded. */
const RELOAD_ON = ["merged", "links", "split", "status"];

const crossCustomer = (e: unknown) =>
  e instanceof ApiError &&
  e.status === 409 &&
  (e.details as { reason?: string } | undefined)?.reason === "cross_customer";

/**
 * Under the ticket's title: "merged into #N" when it was, and the merge and link actions
 * (a search picker for the other ticket; merging across customers asks first).
 */
export function TicketOpsHeader({ ticket }: { ticket: Ticket; me: Me }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const rt = useRealtime();
  const links = useLinks(ticket.id).data;
  const merge = useMerge();
  const link = useLink(ticket.id);
  const [mode, setMode] = useState<"merge" | "link" | null>(null);
  const [confirm, setConfirm] = useState<Ticket | null>(null);

  useEffect(() => {
    const off = rt.subscribe((frame) => {
      if (frame.type !== "ticket" || frame.ticket.id !== ticket.id) return;
      if (!Object.keys(frame.changes ?? {}).some((k) => RELOAD_ON.includes(k))) return;
      for (const key of [linksKey(ticket.id), ["messages", ticket.id], ["events", ticket.id]])
        void qc.invalidateQueries({ queryKey: key });
    });
    return () => {
      off();
    };
  }, [rt, qc, ticket.id]);

  const doMerge = (target: Ticket, confirmCrossCustomer = false) =>
    merge.mutate(
      { targetId: target.id, sourceIds: [ticket.id], confirmCrossCustomer },
      {
        onSuccess: () => {
          setMode(null);
          setConfirm(null);
          navigate(`/tickets/${target.id}`);
        },
        onError: (e) => {
          if (crossCustomer(e)) {
            setMode(null);
            setConfirm(target);
          }
        },
      },
    );

  const error = (e: unknown) => (e && !crossCustomer(e) ? (e as Error).message : null);
  const into = links?.mergedInto;
  return (
    <Stack gap={6} mt={4}>
      {into && (
        <Alert color="gray" p="xs" data-testid="merged-into">
          <Text size="sm">
            {t("ticketops.mergedInto")}{" "}
            <Anchor component={Link} to={`/tickets/${into.id}`}>
              #{into.number} {into.subject}
            </Anchor>
          </Text>
        </Alert>
      )}
      <Group gap="xs">
        {ticket.permissions.update && !into && (
          <Button size="compact-xs" variant="default" onClick={() => setMode("merge")}>
            {t("ticketops.merge")}
          </Button>
        )}
        <Button size="compact-xs" variant="default" onClick={() => setMode("link")}>
          {t("ticketops.link")}
        </Button>
      </Group>
      {mode && (
        <TicketPicker
          opened
          current={ticket}
          title={
            mode === "merge" ? t("ticketops.mergeTitle", { number: ticket.number }) : t("ticketops.linkTitle")
          }
          action={mode === "merge" ? t("ticketops.mergeAction") : t("ticketops.linkAction")}
          busy={merge.isPending || link.isPending}
          error={mode === "merge" ? error(merge.error) : error(link.error)}
          onClose={() => {
            setMode(null);
            merge.reset();
            link.reset();
          }}
          onPick={(other) =>
            mode === "merge"
              ? doMerge(other)
              : link.mutate({ otherId: other.id }, { onSuccess: () => setMode(null) })
          }
        />
      )}
      <Modal opened={confirm !== null} onClose={() => setConfirm(null)} title={t("ticketops.crossTitle")}>
        <Stack gap="sm">
          <Text size="sm">
            {t("ticketops.crossBody", {
              number: ticket.number,
              name: ticket.requester.name,
              target: confirm?.number ?? "",
              other: confirm?.requester.name ?? "",
            })}
          </Text>
          {error(merge.error) && <Alert color="red">{error(merge.error)}</Alert>}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setConfirm(null)}>
              {t("ticketops.cancel")}
            </Button>
            <Button
              color="orange"
              loading={merge.isPending}
              onClick={() => confirm && doMerge(confirm, true)}
            >
              {t("ticketops.crossConfirm")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
