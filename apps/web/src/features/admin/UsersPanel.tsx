import {
  Alert,
  Badge,
  Button,
  Group,
  MultiSelect,
  NativeSelect,
  PasswordInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from "@mantine/core";
import { LOCALES, ROLES } from "@rapport/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { DataTable, FormCard } from "../../components/kit/index.ts";
import { LOCALE_NAMES } from "../../i18n/index.ts";
import { ApiError, patch, post } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import type { Me, User } from "../../lib/types.ts";
import { useUsers } from "../inbox/api.ts";
import { useTeams } from "../teams/api.ts";

export function UsersPanel({ me }: { me: Me }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const users = useUsers();
  const teams = useTeams().data ?? [];
  const [teamIds, setTeamIds] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const teamName = (id: string) => teams.find((tm) => tm.id === id)?.name ?? "";

  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => post<User>("/users", body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["users"] }),
  });
  const setActive = useMutation({
    mutationFn: (u: { id: string; active: boolean }) => patch<User>(`/users/${u.id}`, { active: u.active }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["users"] }),
  });

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    setError(null);
    try {
      await create.mutateAsync({
        name: f.get("name"),
        email: f.get("email"),
        role: f.get("role"),
        locale: f.get("locale"),
        password: f.get("password") || undefined,
        teamIds,
      });
      form.reset();
      setTeamIds([]);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 409 ? t("admin.emailTaken") : t("common.error"));
    }
  }

  return (
    <Stack>
      <FormCard title={t("admin.createUser")} onSubmit={submit}>
        <Stack gap="sm">
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput name="name" label={t("common.name")} required />
            <TextInput name="email" type="email" label={t("auth.email")} required />
            <PasswordInput
              name="password"
              label={t("auth.password")}
              description={t("auth.passwordRule")}
              minLength={10}
              autoComplete="new-password"
            />
            <NativeSelect
              name="role"
              label={t("admin.role")}
              defaultValue="agent"
              data={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
            />
            <NativeSelect
              name="locale"
              label={t("common.language")}
              defaultValue="en"
              data={LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] }))}
            />
            <MultiSelect
              label={t("admin.teams")}
              value={teamIds}
              onChange={setTeamIds}
              data={teams.map((tm) => ({ value: tm.id, label: tm.name }))}
            />
          </SimpleGrid>
          <Button type="submit" w="fit-content" loading={create.isPending}>
            {t("admin.createUser")}
          </Button>
        </Stack>
      </FormCard>
      <DataTable
        label={t("admin.users")}
        minWidth={700}
        rows={users.data ?? []}
        rowKey={(u) => u.id}
        columns={[
          { key: "name", header: t("common.name"), cell: (u) => u.name },
          { key: "email", header: t("auth.email"), cell: (u) => u.email },
          { key: "role", header: t("admin.role"), cell: (u) => t(`role.${u.role}`) },
          { key: "teams", header: t("admin.teams"), cell: (u) => u.teamIds.map(teamName).join(", ") },
          { key: "login", header: t("admin.lastLogin"), cell: (u) => formatDateTime(u.lastLoginAt) },
          {
            key: "state",
            header: t("admin.state"),
            cell: (u) => (
              <Group gap="xs" wrap="nowrap">
                <Badge color={u.active ? "green" : "gray"} variant="light">
                  {u.active ? t("admin.active") : t("admin.inactive")}
                </Badge>
                {u.id !== me.user.id && (
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    onClick={() => setActive.mutate({ id: u.id, active: !u.active })}
                  >
                    {u.active ? t("admin.deactivate") : t("admin.reactivate")}
                  </Button>
                )}
              </Group>
            ),
          },
        ]}
      />
      {setActive.isError && (
        <Text c="red" role="alert">
          {t("common.error")}
        </Text>
      )}
    </Stack>
  );
}
