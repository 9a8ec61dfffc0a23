import { Alert, Button, Paper, Select, Stack, Textarea, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { post } from "../../lib/api.ts";
import type { Me, Ticket } from "../../lib/types.ts";
import { useUsers } from "../inbox/api.ts";
import { useTeams } from "../teams/api.ts";

/** In the ticket's sidebar: hand the ticket to another team or agent, saying why. */
export function TransferPanel({ ticket, me }: { ticket: Ticket; me: Me }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const teams = useTeams().data ?? [];
  const users = (useUsers().data ?? []).filter((u) => u.active);
  const [teamId, setTeamId] = useState<string | null>(null);
  const [assigneeId, setAssigneeId] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const transfer = useMutation({
    mutationFn: () =>
      post<Ticket>(`/tickets/${ticket.id}/transfer`, {
        ...(teamId ? { teamId } : {}),
        ...(assigneeId ? { assigneeId } : {}),
        reason,
      }),
    onSuccess: () => {
      setTeamId(null);
      setAssigneeId(null);
      setReason("");
      for (const key of [["ticket", ticket.id], ["events", ticket.id], ["tickets"], ["transfers", ticket.id]])
        void qc.invalidateQueries({ queryKey: key });
    },
  });
  if (!ticket.permissions.update) return null;
  const teamChoices = teams
    .filter((x) => x.id !== ticket.team?.id && (me.user.role !== "agent" || me.user.teamIds.includes(x.id)))
    .map((x) => ({ value: x.id, label: x.name }));
  const userChoices = users
    .filter((u) => u.id !== ticket.assignee?.id)
    .map((u) => ({ value: u.id, label: u.name }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    transfer.mutate();
  };
  return (
    <Paper withBorder p="sm">
      <form onSubmit={submit}>
        <Stack gap="xs">
          <Title order={2} size="h6">
            {t("automations.transfer")}
          </Title>
          <Select
            label={t("automations.toTeam")}
            data={teamChoices}
            value={teamId}
            onChange={setTeamId}
            clearable
            searchable
            size="xs"
          />
          <Select
            label={t("automations.toAgent")}
            data={userChoices}
            value={assigneeId}
            onChange={setAssigneeId}
            clearable
            searchable
            size="xs"
          />
          <Textarea
            label={t("automations.reason")}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            maxLength={500}
            required
            autosize
            minRows={2}
            size="xs"
          />
          {transfer.error && <Alert color="red">{transfer.error.message}</Alert>}
          <Button
            type="submit"
            size="xs"
            disabled={(!teamId && !assigneeId) || !reason.trim()}
            loading={transfer.isPending}
          >
            {t("automations.transferSubmit")}
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}
