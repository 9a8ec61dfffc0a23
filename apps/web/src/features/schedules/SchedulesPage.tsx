import { Alert, Badge, Button, Group, MultiSelect, Select, Text, TextInput } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ConfirmModal, DataTable, FormModal, ListPanel } from "../../components/kit/index.ts";
import { useUsers } from "../inbox/api.ts";
import { useTeams } from "../teams/api.ts";
import {
  type ReportSchedule,
  useDeleteSchedule,
  useSaveSchedule,
  useSchedules,
  useSendSchedule,
} from "./api.ts";

type Draft = {
  id?: string;
  name: string;
  frequency: "daily" | "weekly";
  weekday: string;
  hour: string;
  teamId: string;
  recipientIds: string[];
};
const EMPTY: Draft = { name: "", frequency: "weekly", weekday: "1", hour: "8", teamId: "", recipientIds: [] };
const ORG = "";

/** Weekday names in the interface's language (4 January 2026 was a Sunday). */
const weekdayName = (locale: string, d: number) =>
  new Intl.DateTimeFormat(locale, { weekday: "long", timeZone: "UTC" }).format(
    new Date(Date.UTC(2026, 0, 4 + d)),
  );

/** Scheduled report emails (managers and administrators): list, create, change, delete, send now. */
export function SchedulesPage() {
  const { t, i18n } = useTranslation();
  const list = useSchedules();
  const teams = useTeams().data ?? [];
  const users = (useUsers().data ?? []).filter((u) => u.active);
  const save = useSaveSchedule();
  const remove = useDeleteSchedule();
  const send = useSendSchedule();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [deleting, setDeleting] = useState<ReportSchedule | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const locale = i18n.language;
  const when = (s: ReportSchedule) =>
    s.frequency === "weekly"
      ? t("schedules.whenWeekly", { day: weekdayName(locale, s.weekday ?? 0), hour: s.hour })
      : t("schedules.whenDaily", { hour: s.hour });
  const open = (s?: ReportSchedule) =>
    setDraft(
      s
        ? {
            id: s.id,
            name: s.name,
            frequency: s.frequency,
            weekday: String(s.weekday ?? 1),
            hour: String(s.hour),
            teamId: s.teamId ?? ORG,
            recipientIds: s.recipients.map((r) => r.id),
          }
        : EMPTY,
    );
  return (
    <ListPanel
      title={t("schedules.title")}
      controls={<Button onClick={() => open()}>{t("schedules.add")}</Button>}
      errors={[list.error?.message, send.error?.message, remove.error?.message]}
      empty={list.data && list.data.length === 0 ? t("schedules.empty") : undefined}
    >
      <Text size="sm" c="dimmed">
        {t("schedules.intro")}
      </Text>
      {sent && (
        <Alert color="teal" role="status" withCloseButton onClose={() => setSent(null)}>
          {sent}
        </Alert>
      )}
      <DataTable
        label={t("schedules.title")}
        testId="schedules-table"
        rows={list.data ?? []}
        rowKey={(s) => s.id}
        columns={[
          { key: "name", header: t("common.name"), cell: (s) => s.name },
          { key: "when", header: t("schedules.when"), cell: (s) => `${when(s)} (${s.timeZone})` },
          {
            key: "scope",
            header: t("schedules.scope"),
            cell: (s) => teams.find((tm) => tm.id === s.teamId)?.name ?? t("schedules.organization"),
          },
          {
            key: "recipients",
            header: t("schedules.recipients"),
            cell: (s) => (
              <Group gap={4}>
                {s.recipients.map((r) => (
                  <Badge key={r.id} variant="outline" color="gray">
                    {r.name}
                  </Badge>
                ))}
              </Group>
            ),
          },
          {
            key: "actions",
            header: t("common.actions"),
            hiddenHeader: true,
            cell: (s) => (
              <Group gap="xs" wrap="nowrap">
                <Button
                  size="xs"
                  variant="light"
                  loading={send.isPending && send.variables === s.id}
                  onClick={() =>
                    send.mutate(s.id, { onSuccess: (r) => setSent(t("schedules.sent", { count: r.sent })) })
                  }
                >
                  {t("schedules.sendNow")}
                </Button>
                <Button size="xs" variant="default" onClick={() => open(s)}>
                  {t("common.edit")}
                </Button>
                <Button size="xs" variant="subtle" color="red" onClick={() => setDeleting(s)}>
                  {t("common.delete")}
                </Button>
              </Group>
            ),
          },
        ]}
      />
      {draft && (
        <FormModal
          opened
          onClose={() => setDraft(null)}
          title={draft.id ? t("schedules.edit") : t("schedules.add")}
          submitLabel={t("common.save")}
          pending={save.isPending}
          error={save.error?.message}
          testId="schedule-form"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate(
              {
                id: draft.id,
                body: {
                  name: draft.name,
                  frequency: draft.frequency,
                  weekday: draft.frequency === "weekly" ? Number(draft.weekday) : null,
                  hour: Number(draft.hour),
                  teamId: draft.teamId || null,
                  recipientIds: draft.recipientIds,
                },
              },
              { onSuccess: () => setDraft(null) },
            );
          }}
        >
          <TextInput
            required
            label={t("common.name")}
            value={draft.name}
            onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
          />
          <Select
            label={t("schedules.frequency")}
            data={[
              { value: "daily", label: t("schedules.daily") },
              { value: "weekly", label: t("schedules.weekly") },
            ]}
            value={draft.frequency}
            allowDeselect={false}
            onChange={(v) => setDraft({ ...draft, frequency: v === "daily" ? "daily" : "weekly" })}
          />
          {draft.frequency === "weekly" && (
            <Select
              label={t("schedules.weekday")}
              data={[0, 1, 2, 3, 4, 5, 6].map((d) => ({ value: String(d), label: weekdayName(locale, d) }))}
              value={draft.weekday}
              allowDeselect={false}
              onChange={(v) => setDraft({ ...draft, weekday: v ?? "1" })}
            />
          )}
          <Select
            label={t("schedules.hour")}
            description={t("schedules.hourHint")}
            data={Array.from({ length: 24 }, (_, h) => ({
              value: String(h),
              label: `${String(h).padStart(2, "0")}:00`,
            }))}
            value={draft.hour}
            allowDeselect={false}
            onChange={(v) => setDraft({ ...draft, hour: v ?? "8" })}
          />
          <Select
            label={t("schedules.scope")}
            data={[
              { value: ORG, label: t("schedules.organization") },
              ...teams.map((tm) => ({ value: tm.id, label: tm.name })),
            ]}
            value={draft.teamId}
            allowDeselect={false}
            onChange={(v) => setDraft({ ...draft, teamId: v ?? ORG })}
          />
          <MultiSelect
            required
            searchable
            label={t("schedules.recipients")}
            description={t("schedules.recipientsHint")}
            data={users.map((u) => ({ value: u.id, label: `${u.name} <${u.email}>` }))}
            value={draft.recipientIds}
            onChange={(v) => setDraft({ ...draft, recipientIds: v })}
          />
        </FormModal>
      )}
      <ConfirmModal
        opened={!!deleting}
        onClose={() => setDeleting(null)}
        title={t("schedules.deleteTitle")}
        submitLabel={t("common.delete")}
        color="red"
        pending={remove.isPending}
        error={remove.error?.message}
        onConfirm={() => deleting && remove.mutate(deleting.id, { onSuccess: () => setDeleting(null) })}
      >
        {t("schedules.deleteText", { name: deleting?.name ?? "" })}
      </ConfirmModal>
    </ListPanel>
  );
}
