import { Alert, Button, Group, MultiSelect, Paper, Stack, Table, TextInput, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { useTeams } from "../../components/Layout.tsx";
import { del, patch, post } from "../../lib/api.ts";
import { formatNumber } from "../../lib/format.ts";
import type { Team } from "../../lib/types.ts";
import { useUsers } from "../inbox/api.ts";

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
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="sm">
          {t("admin.createTeam")}
        </Title>
        <form onSubmit={submit}>
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
          {create.isError && (
            <Alert color="red" role="alert" mt="sm">
              {t("common.error")}
            </Alert>
          )}
        </form>
      </Paper>
      <Table striped aria-label={t("admin.teams")}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("common.name")}</Table.Th>
            <Table.Th>{t("admin.description")}</Table.Th>
            <Table.Th>{t("admin.members")}</Table.Th>
            <Table.Th>
              <span className="sr-only">{t("common.actions")}</span>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(teams.data ?? []).map((tm) => (
            <Table.Tr key={tm.id}>
              <Table.Td>{tm.name}</Table.Td>
              <Table.Td>{tm.description}</Table.Td>
              <Table.Td>
                <MultiSelect
                  aria-label={t("admin.membersOf", { name: tm.name })}
                  value={tm.memberIds}
                  data={userData}
                  onChange={(memberIds) => update.mutate({ id: tm.id, memberIds })}
                  size="xs"
                  placeholder={formatNumber(tm.memberIds.length)}
                />
              </Table.Td>
              <Table.Td>
                <Button size="compact-xs" color="red" variant="subtle" onClick={() => remove.mutate(tm.id)}>
                  {t("common.delete")}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
