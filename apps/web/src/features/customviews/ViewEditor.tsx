import {
  Alert,
  Button,
  Group,
  MultiSelect,
  NativeSelect,
  Radio,
  SimpleGrid,
  Stack,
  TagsInput,
  TextInput,
  Title,
} from "@mantine/core";
import {
  CHANNELS,
  type Channel,
  SENTIMENTS,
  type Sentiment,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type TicketPriority,
  type TicketStatus,
} from "@rapport/shared";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import type { Me } from "../../lib/types.ts";
import { fieldLabel, useFields } from "../fields/api.ts";
import {
  type CustomView,
  SLA_STATES,
  useSaveView,
  useTeamList,
  VIEW_COLUMNS,
  VIEW_SORTS,
  type ViewDraft,
} from "./api.ts";
import { ValueFilter } from "./ValueFilter.tsx";

const EMPTY: ViewDraft = {
  name: "",
  filters: { status: ["new", "open"] },
  columns: ["number", "subject", "requester", "status", "priority", "updated"],
  sort: "updated",
  order: "desc",
  teamIds: [],
};

/** Drops filters left empty, so the server gets only what the agent chose. */
function clean(d: ViewDraft): ViewDraft {
  const f = Object.fromEntries(
    Object.entries(d.filters).filter(([, v]) =>
      Array.isArray(v) ? v.length > 0 : typeof v === "object" ? Object.keys(v ?? {}).length > 0 : v,
    ),
  );
  return { ...d, name: d.name.trim(), filters: f };
}

/** Creates or edits a custom view: filters, columns, sort and sharing. */
export function ViewEditor({ me, view }: { me: Me; view?: CustomView }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { save, remove } = useSaveView();
  const teams = useTeamList().data ?? [];
  const fields = useFields("ticket").data ?? [];
  const shareable = me.user.role === "agent" ? teams.filter((tm) => me.user.teamIds.includes(tm.id)) : teams;
  const [d, setD] = useState<ViewDraft>(view ? { ...view } : EMPTY);
  const [shared, setShared] = useState(view ? view.teamIds.length > 0 : false);
  const f = d.filters;
  const setF = (patch: Partial<ViewDraft["filters"]>) => setD({ ...d, filters: { ...f, ...patch } });
  const cf = Object.entries(f.cf ?? {});
  const opts = (keys: readonly string[], prefix: string) =>
    keys.map((k) => ({ value: k, label: t(`${prefix}${k}`) }));
  const columnOptions = [
    ...opts(VIEW_COLUMNS, "customviews.col."),
    ...fields.map((fd) => ({ value: `cf.${fd.key}`, label: fieldLabel(fd, i18n.language) })),
  ];
  return (
    <Stack
      p="md"
      maw={760}
      gap="sm"
      component="form"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(
          { id: view?.id, draft: clean({ ...d, teamIds: shared ? d.teamIds : [] }) },
          { onSuccess: (v) => navigate(`/views/${v.id}`) },
        );
      }}
    >
      <Title order={1} size="h3">
        {view ? t("customviews.editTitle") : t("customviews.newTitle")}
      </Title>
      <TextInput
        id="view-name"
        label={t("customviews.name")}
        required
        maxLength={80}
        value={d.name}
        onChange={(e) => setD({ ...d, name: e.currentTarget.value })}
      />
      <Title order={2} size="h5">
        {t("customviews.filters")}
      </Title>
      <MultiSelect
        label={t("customviews.f.status")}
        data={opts(TICKET_STATUSES, "status.")}
        value={f.status ?? []}
        onChange={(v) => setF({ status: v as TicketStatus[] })}
        clearable
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <MultiSelect
          label={t("customviews.f.priority")}
          data={opts(TICKET_PRIORITIES, "priority.")}
          value={f.priority ?? []}
          onChange={(v) => setF({ priority: v as TicketPriority[] })}
          clearable
        />
        <MultiSelect
          label={t("customviews.f.channel")}
          data={opts(CHANNELS, "channel.")}
          value={f.channel ?? []}
          onChange={(v) => setF({ channel: v as Channel[] })}
          clearable
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="md">
        <NativeSelect
          label={t("customviews.f.assignee")}
          value={f.assignee ?? ""}
          onChange={(e) => setF({ assignee: e.currentTarget.value || undefined })}
          data={[
            { value: "", label: t("customviews.any") },
            { value: "me", label: t("customviews.me") },
            { value: "none", label: t("customviews.nobody") },
          ]}
        />
        <NativeSelect
          label={t("customviews.f.team")}
          value={f.team ?? ""}
          onChange={(e) => setF({ team: e.currentTarget.value || undefined })}
          data={[
            { value: "", label: t("customviews.any") },
            { value: "none", label: t("customviews.noTeam") },
            ...teams.map((tm) => ({ value: tm.id, label: tm.name })),
          ]}
        />
        <NativeSelect
          label={t("customviews.f.sla")}
          value={f.sla ?? ""}
          onChange={(e) => setF({ sla: (e.currentTarget.value || undefined) as ViewDraft["filters"]["sla"] })}
          data={[{ value: "", label: t("customviews.any") }, ...opts(SLA_STATES, "customviews.sla.")]}
        />
        <NativeSelect
          label={t("customviews.f.sentiment")}
          value={f.sentiment?.[0] ?? ""}
          onChange={(e) => {
            const v = e.currentTarget.value as Sentiment | "";
            setF({ sentiment: v ? [v] : undefined });
          }}
          data={[{ value: "", label: t("customviews.any") }, ...opts(SENTIMENTS, "sentiment.")]}
        />
      </SimpleGrid>
      <ValueFilter value={f.value} onChange={(value) => setF({ value })} />
      <TagsInput
        id="view-tags"
        label={t("customviews.f.tags")}
        description={t("customviews.f.tagsHint")}
        value={f.tags ?? []}
        onChange={(v) => setF({ tags: v.map((x) => x.toLowerCase()) })}
        maxTags={10}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
        <TextInput
          label={t("customviews.f.q")}
          value={f.q ?? ""}
          maxLength={200}
          onChange={(e) => setF({ q: e.currentTarget.value || undefined })}
        />
        <TextInput
          label={t("customviews.f.language")}
          placeholder="vi"
          value={f.language ?? ""}
          maxLength={3}
          onChange={(e) => setF({ language: e.currentTarget.value.toLowerCase() || undefined })}
        />
      </SimpleGrid>
      {fields.length > 0 && (
        <Stack gap={6}>
          {cf.map(([key, value], i) => (
            <Group key={i} grow align="flex-end">
              <NativeSelect
                label={t("customviews.f.field")}
                value={key}
                data={fields.map((fd) => ({ value: fd.key, label: fieldLabel(fd, i18n.language) }))}
                onChange={(e) => {
                  const next = cf.map(([k, v], j) => (j === i ? [e.currentTarget.value, v] : [k, v]));
                  setF({ cf: Object.fromEntries(next) });
                }}
              />
              <TextInput
                label={t("customviews.f.value")}
                value={value}
                onChange={(e) => {
                  const next = cf.map(([k, v], j) => (j === i ? [k, e.currentTarget.value] : [k, v]));
                  setF({ cf: Object.fromEntries(next) });
                }}
              />
              <Button
                variant="subtle"
                color="gray"
                onClick={() => setF({ cf: Object.fromEntries(cf.filter((_, j) => j !== i)) })}
              >
                {t("customviews.removeField")}
              </Button>
            </Group>
          ))}
          <Button
            variant="light"
            size="xs"
            w="fit-content"
            onClick={() => {
              const free = fields.find((fd) => !(fd.key in (f.cf ?? {})));
              if (free) setF({ cf: { ...f.cf, [free.key]: "" } });
            }}
          >
            {t("customviews.addField")}
          </Button>
        </Stack>
      )}
      <Title order={2} size="h5">
        {t("customviews.display")}
      </Title>
      <MultiSelect
        label={t("customviews.columns")}
        data={columnOptions}
        value={d.columns}
        onChange={(v) => setD({ ...d, columns: v })}
        maxValues={12}
        required
      />
      <Group grow>
        <NativeSelect
          label={t("customviews.sort")}
          value={d.sort}
          onChange={(e) => setD({ ...d, sort: e.currentTarget.value as ViewDraft["sort"] })}
          data={opts(VIEW_SORTS, "customviews.col.")}
        />
        <NativeSelect
          label={t("customviews.order")}
          value={d.order}
          onChange={(e) => setD({ ...d, order: e.currentTarget.value as ViewDraft["order"] })}
          data={[
            { value: "desc", label: t("customviews.desc") },
            { value: "asc", label: t("customviews.asc") },
          ]}
        />
      </Group>
      <Radio.Group
        label={t("customviews.sharing")}
        value={shared ? "teams" : "me"}
        onChange={(v) => setShared(v === "teams")}
      >
        <Group mt={4}>
          <Radio value="me" label={t("customviews.personal")} />
          <Radio value="teams" label={t("customviews.withTeams")} disabled={shareable.length === 0} />
        </Group>
      </Radio.Group>
      {shared && (
        <MultiSelect
          label={t("customviews.teams")}
          data={shareable.map((tm) => ({ value: tm.id, label: tm.name }))}
          value={d.teamIds}
          onChange={(v) => setD({ ...d, teamIds: v })}
          required
        />
      )}
      {(save.error || remove.error) && (
        <Alert color="red" role="alert">
          {(save.error ?? remove.error)?.message}
        </Alert>
      )}
      <Group justify="space-between">
        <Group gap="xs">
          <Button
            type="submit"
            data-testid="view-save"
            loading={save.isPending}
            disabled={!d.name.trim() || d.columns.length === 0}
          >
            {t("customviews.save")}
          </Button>
          <Button variant="default" onClick={() => navigate(-1)}>
            {t("customviews.cancel")}
          </Button>
        </Group>
        {view?.editable && (
          <Button
            color="red"
            variant="subtle"
            loading={remove.isPending}
            onClick={() => remove.mutate(view.id, { onSuccess: () => navigate("/inbox/mine") })}
          >
            {t("customviews.delete")}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
