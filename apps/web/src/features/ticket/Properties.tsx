import { NativeSelect, Stack, TagsInput } from "@mantine/core";
import { TICKET_PRIORITIES, TICKET_STATUSES } from "@rapport/shared";
import { useTranslation } from "react-i18next";
import type { Me, Ticket } from "../../lib/types.ts";
import { useUsers } from "../inbox/api.ts";
import { useSolveGuard } from "../promises/SolveGuard.tsx";
import { useTeams } from "../teams/api.ts";
import { useUpdateTicket } from "./api.ts";

/** Status, priority, assignee, team and tags of a ticket, saved on change. */
export function Properties({ ticket, me }: { ticket: Ticket; me: Me }) {
  const { t } = useTranslation();
  const update = useUpdateTicket(ticket.id);
  const solveGuard = useSolveGuard(ticket);
  const users = useUsers().data ?? [];
  const teams = useTeams().data ?? [];
  const disabled = !ticket.permissions.update || update.isPending;
  const assignable = ticket.permissions.assignOthers
    ? users.filter((u) => u.active)
    : users.filter((u) => u.id === me.user.id || u.id === ticket.assignee?.id);

  return (
    <Stack gap="sm" component="section" aria-label={t("ticket.properties")}>
      <NativeSelect
        label={t("inbox.status")}
        value={ticket.status}
        disabled={disabled}
        data-testid="prop-status"
        onChange={(e) => {
          const status = e.currentTarget.value;
          if (!solveGuard.intercept(status)) update.mutate({ status });
        }}
        data={TICKET_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
      />
      <NativeSelect
        label={t("inbox.priority")}
        value={ticket.priority}
        disabled={disabled}
        onChange={(e) => update.mutate({ priority: e.currentTarget.value })}
        data={TICKET_PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
      />
      <NativeSelect
        label={t("inbox.assignee")}
        value={ticket.assignee?.id ?? ""}
        disabled={disabled}
        onChange={(e) => update.mutate({ assigneeId: e.currentTarget.value || null })}
        data={[
          { value: "", label: t("ticket.unassigned") },
          ...(ticket.assignee && !assignable.some((u) => u.id === ticket.assignee?.id)
            ? [{ value: ticket.assignee.id, label: ticket.assignee.name }]
            : []),
          ...assignable.map((u) => ({ value: u.id, label: u.name })),
        ]}
      />
      <NativeSelect
        label={t("ticket.team")}
        value={ticket.team?.id ?? ""}
        disabled={disabled || !ticket.permissions.changeTeam}
        onChange={(e) => update.mutate({ teamId: e.currentTarget.value || null })}
        data={[
          { value: "", label: t("ticket.noTeam") },
          ...(ticket.team && !teams.some((tm) => tm.id === ticket.team?.id)
            ? [{ value: ticket.team.id, label: ticket.team.name }]
            : []),
          ...teams.map((tm) => ({ value: tm.id, label: tm.name })),
        ]}
      />
      <TagsInput
        label={t("ticket.tags")}
        value={ticket.tags}
        disabled={disabled}
        onChange={(tags) => update.mutate({ tags })}
        clearable={false}
      />
      {solveGuard.dialog}
    </Stack>
  );
}
