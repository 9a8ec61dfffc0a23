import {
  Alert,
  Badge,
  Button,
  Center,
  Group,
  Loader,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { del, post } from "../../lib/api.ts";
import type { Me } from "../../lib/types.ts";
import { useMe } from "../auth/session.ts";
import { seesAllPlans } from "./AgentPicker.tsx";
import { type Absence, dayLabel, localToday, useAbsences, usePlannerInvalidate, useUsers } from "./api.ts";
import { errorText } from "./dialogs.tsx";
import { PlannerTabs } from "./PlannerTabs.tsx";

const STATUS_COLOR: Record<Absence["status"], string> = {
  scheduled: "blue",
  active: "green",
  ended: "gray",
  cancelled: "gray",
};

function AbsenceForm({ me }: { me: Me }) {
  const { t } = useTranslation();
  const users = useUsers();
  const invalidate = usePlannerInvalidate();
  const manager = seesAllPlans(me);
  const [agentId, setAgentId] = useState<string | null>(me.user.id);
  const [coverId, setCoverId] = useState<string | null>(null);
  const [from, setFrom] = useState(localToday());
  const [to, setTo] = useState("");
  const [note, setNote] = useState("");
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => post<Absence>("/planner/absences", body),
    onSuccess: () => {
      setCoverId(null);
      setTo("");
      setNote("");
      return invalidate();
    },
  });
  const active = (users.data ?? []).filter((u) => u.active);
  const who = agentId ?? me.user.id;
  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate({
      ...(manager && who !== me.user.id ? { agentId: who } : {}),
      coverId,
      from,
      to,
      note: note.trim(),
    });
  }
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="absence-form-title">
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Title order={2} size="h4" id="absence-form-title">
            {t("planner.absence.record")}
          </Title>
          <Text size="sm" c="dimmed">
            {t("planner.absence.explain")}
          </Text>
          <Group grow align="flex-start">
            {manager && (
              <NativeSelect
                label={t("planner.absence.agent")}
                data={active.map((u) => ({ value: u.id, label: u.name }))}
                value={agentId ?? me.user.id}
                onChange={(e) => setAgentId(e.currentTarget.value)}
              />
            )}
            <NativeSelect
              label={t("planner.absence.cover")}
              data={[
                { value: "", label: "—" },
                ...active.filter((u) => u.id !== who).map((u) => ({ value: u.id, label: u.name })),
              ]}
              value={coverId ?? ""}
              onChange={(e) => setCoverId(e.currentTarget.value || null)}
              required
            />
          </Group>
          <Group grow align="flex-start">
            <TextInput
              type="date"
              label={t("planner.absence.from")}
              value={from}
              onChange={(e) => setFrom(e.currentTarget.value)}
              required
            />
            <TextInput
              type="date"
              label={t("planner.absence.to")}
              value={to}
              min={from}
              onChange={(e) => setTo(e.currentTarget.value)}
              required
            />
          </Group>
          <TextInput
            label={t("planner.absence.note")}
            value={note}
            maxLength={2000}
            onChange={(e) => setNote(e.currentTarget.value)}
          />
          {create.isError && (
            <Text c="red" size="sm" role="alert">
              {errorText(t, create.error)}
            </Text>
          )}
          {create.isSuccess && (
            <Text c="teal.9" size="sm" role="status">
              {t("planner.absence.saved")}
            </Text>
          )}
          <Group>
            <Button type="submit" loading={create.isPending} disabled={!coverId || !from || !to || to < from}>
              {t("planner.absence.save")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function Absences({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const absences = useAbsences();
  const users = useUsers();
  const invalidate = usePlannerInvalidate();
  const cancel = useMutation({
    mutationFn: (id: string) => del<Absence>(`/planner/absences/${id}`),
    onSuccess: invalidate,
  });
  const names = new Map((users.data ?? []).map((u) => [u.id, u.name]));
  const items = absences.data?.items ?? [];
  const covering = items.filter((a) => a.coverId === me.user.id && a.status === "active");
  const manager = seesAllPlans(me);
  return (
    <Stack p="md" gap="md" maw={1000}>
      <PlannerTabs />
      <Title order={1} size="h2">
        {t("planner.absence.title")}
      </Title>
      {covering.length > 0 && (
        <Alert
          color="grape"
          variant="light"
          title={t("planner.absence.coveringTitle")}
          data-testid="covering-now"
        >
          <Stack gap={4}>
            {covering.map((a) => (
              <Group key={a.id} gap="xs">
                <Text size="sm">
                  {t("planner.absence.coveringLine", {
                    name: names.get(a.agentId) ?? "…",
                    to: dayLabel(a.to, i18n.language),
                  })}
                </Text>
                <Button
                  component={Link}
                  to={`/planner/today?agent=${a.agentId}`}
                  size="compact-xs"
                  variant="light"
                >
                  {t("planner.absence.seePlan", { name: names.get(a.agentId) ?? "…" })}
                </Button>
              </Group>
            ))}
          </Stack>
        </Alert>
      )}
      <AbsenceForm me={me} />
      <Title order={2} size="h4">
        {manager ? t("planner.absence.listAll") : t("planner.absence.listMine")}
      </Title>
      {absences.isPending && (
        <Center p="md">
          <Loader aria-label={t("common.loading")} />
        </Center>
      )}
      {absences.isError && (
        <Alert color="red" role="alert">
          {t("planner.loadError")}
        </Alert>
      )}
      {absences.data && items.length === 0 && (
        <Text c="dimmed" size="sm">
          {t("planner.absence.none")}
        </Text>
      )}
      {items.length > 0 && (
        <Table striped withTableBorder data-testid="absences-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("planner.absence.agent")}</Table.Th>
              <Table.Th>{t("planner.absence.cover")}</Table.Th>
              <Table.Th>{t("planner.absence.period")}</Table.Th>
              <Table.Th>{t("planner.absence.status")}</Table.Th>
              <Table.Th>{t("planner.absence.note")}</Table.Th>
              <Table.Th>
                <VisuallyHidden>{t("common.actions")}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>{names.get(a.agentId) ?? "…"}</Table.Td>
                <Table.Td>{names.get(a.coverId) ?? "…"}</Table.Td>
                <Table.Td>
                  {dayLabel(a.from, i18n.language)} – {dayLabel(a.to, i18n.language)}
                </Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLOR[a.status]} variant="light">
                    {t(`planner.absence.status.${a.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>{a.note}</Table.Td>
                <Table.Td>
                  {(a.status === "scheduled" || a.status === "active") &&
                    (manager || a.agentId === me.user.id) && (
                      <Button
                        size="compact-xs"
                        variant="filled"
                        color="red.9"
                        loading={cancel.isPending && cancel.variables === a.id}
                        onClick={() => cancel.mutate(a.id)}
                      >
                        {t("planner.absence.cancel")}
                      </Button>
                    )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

export function AbsencesPage() {
  const me = useMe();
  return me.data ? <Absences me={me.data} /> : null;
}
