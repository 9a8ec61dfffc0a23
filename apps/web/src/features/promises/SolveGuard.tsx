import { Button, Group, List, Modal, Text } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { patch } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import type { Ticket } from "../../lib/types.ts";
import { usePromises } from "./api.ts";

/**
 * Solving a ticket with open promises asks first. `intercept(status)` returns true when it
 * took over (a dialog is open); confirming sends the change with confirm: ["open_promises"],
 * or, when the caller passes `onConfirm` (the reply box's "send and solve"), calls that.
 */
export function useSolveGuard(ticket: Ticket): {
  intercept: (status: string, onConfirm?: () => Promise<unknown>) => boolean;
  dialog: ReactNode;
} {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const open = (usePromises({ ticketId: ticket.id }).data?.items ?? []).filter((p) => p.status === "open");
  const [asked, setAsked] = useState<string | null>(null);
  const [onConfirm, setOnConfirm] = useState<(() => Promise<unknown>) | null>(null);
  const [confirming, setConfirming] = useState(false);
  const confirm = useMutation({
    mutationFn: (status: string) =>
      patch<Ticket>(`/tickets/${ticket.id}`, { status, confirm: ["open_promises"] }),
    onSuccess: (tk) => {
      qc.setQueryData(["ticket", ticket.id], tk);
      void qc.invalidateQueries({ queryKey: ["tickets"] });
      void qc.invalidateQueries({ queryKey: ["events", ticket.id] });
      setAsked(null);
    },
  });
  const intercept = (status: string, then?: () => Promise<unknown>) => {
    if (!["solved", "closed"].includes(status) || open.length === 0) return false;
    setOnConfirm(() => then ?? null);
    setAsked(status);
    return true;
  };
  const proceed = async () => {
    if (!asked) return;
    if (!onConfirm) return confirm.mutate(asked);
    setConfirming(true);
    try {
      await onConfirm();
    } finally {
      setConfirming(false);
      setAsked(null);
    }
  };
  const dialog = (
    <Modal opened={asked !== null} onClose={() => setAsked(null)} title={t("promises.solveTitle")}>
      <Text size="sm" mb="sm">
        {t("promises.solveText", { count: open.length })}
      </Text>
      <List size="sm" mb="md">
        {open.map((p) => (
          <List.Item key={p.id}>
            {t(`promises.kind.${p.kind}`)} · {formatDateTime(p.dueAt)} · {p.owner.name}
          </List.Item>
        ))}
      </List>
      <Group justify="flex-end">
        <Button variant="subtle" onClick={() => setAsked(null)}>
          {t("promises.cancelForm")}
        </Button>
        <Button
          color="orange"
          loading={confirm.isPending || confirming}
          onClick={() => void proceed()}
          data-testid="solve-confirm"
        >
          {t("promises.solveAnyway")}
        </Button>
      </Group>
    </Modal>
  );
  return { intercept, dialog };
}
