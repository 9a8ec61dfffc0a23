import { Button, Group, MultiSelect, Stack, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { DataTable, FormCard } from "../../components/kit/index.ts";
import { del, patch, post } from "../../lib/api.ts";
import { formatNumber } from "../../lib/format.ts";
import type { Team } from "../../lib/types.ts";
import { useUsers } from "../inbox/api.ts";
import { useTeams } from "../teams/api.ts";

export function TeamsPanel() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const teams = useTeams();
  const users = useUsers().data ?? [];
  const [members, setMembers] = useState<string[]>([]);
  const refresh = () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: ["teams"] }),
      qc.invalidateQueries({ queryKey: ["users"] }),
    ]);
  const create = useMutation({
    mutationFn: (b: Record<string, unknown>) => post<Team>("/teams", b),
    onSuccess: refresh,
  });
  const update = useMutation({
    mutationFn: (b: { id: string; memberIds: string[] }) =>
      patch<Team>(`/teams/${b.id}`, { memberIds: b.memberIds }),
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: (id: string) => del(`/teams/${id}`), onSuccess: refresh });
  const userData = users.map((u) => ({ value: u.id, label: u.name }));

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    create.mutate(
      { name: f.get("name"), description: f.get("description") ?? "", memberIds: members },
      {
        onSuccess: () => {
          form.reset();
          setMembers([]);
        },
      },
    );
  }

  return (
    <Stack>
      <FormCard title={t("admin.createTeam")} onSubmit={submit} error={create.isError && t("common.error")}>
        <Group align="flex-end">
          <TextInput name="name" label={t("common.name")} required maxLength={120} />
          <TextInput name="description" label={t("admin.description")} />
          <MultiSelect
            label={t("admin.members")}
            value={members}
            onChange={setMembers}
            data={userData}
            miw={220}
          />
          <Button type="submit" loading={create.isPending}>
            {t("admin.createTeam")}
          </Button>
        </Group>
      </FormCard>
      <DataTable
        label={t("admin.teams")}
        rows={teams.data ?? []}
        rowKey={(tm) => tm.id}
        columns={[
          { key: "name", header: t("common.name"), cell: (tm) => tm.name },
          { key: "description", header: t("admin.description"), cell: (tm) => tm.description },
          {
            key: "members",
            header: t("admin.members"),
            cell: (tm) => (
              <MultiSelect
                aria-label={t("admin.membersOf", { name: tm.name })}
                value={tm.memberIds}
                data={userData}
                onChange={(memberIds) => update.mutate({ id: tm.id, memberIds })}
                size="xs"
                placeholder={formatNumber(tm.memberIds.length)}
              />
            ),
          },
          {
            key: "actions",
            header: t("common.actions"),
            hiddenHeader: true,
            cell: (tm) => (
              <Button size="compact-xs" color="red" variant="subtle" onClick={() => remove.mutate(tm.id)}>
                {t("common.delete")}
              </Button>
            ),
          },
        ]}
      />
    </Stack>
  );
}
