import { Alert, Group, Progress, Select, SimpleGrid, Stack, TextInput, Title } from "@mantine/core";
import { LOCALES, TICKET_PRIORITIES } from "@rapport/shared";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { formatLanguage } from "../../lib/format.ts";
import { useUsers } from "../inbox/api.ts";
import { useTeams } from "../teams/api.ts";
import { type DrillPoint, REPORT_CHANNELS, type ReportFilters, useOverview } from "./api.ts";
import { AgentsCard, CsatCard, HeatmapCard, StaffingCard, TimeseriesCard } from "./Cards.tsx";
import { DrillDrawer } from "./DrillDrawer.tsx";
import { OverviewCards } from "./OverviewCards.tsx";

const PERIODS = ["7", "30", "90", "365"] as const;
const HOUR = 3_600_000;

/** The period ends at the next full hour (stable query keys for an hour) and spans N days. */
export function periodOf(days: number, now = Date.now()) {
  const to = Math.ceil(now / HOUR) * HOUR;
  return { from: new Date(to - days * 24 * HOUR).toISOString(), to: new Date(to).toISOString() };
}

const pick = <T extends string>(list: readonly T[], v: string | null): T | undefined =>
  list.includes(v as T) ? (v as T) : undefined;

/** The dashboard's filters from the address: `team`, `agent`, `channel`, `language`, `priority`, `tag`. */
export function filtersOf(p: URLSearchParams, period: { from: string; to: string }): ReportFilters {
  const f: ReportFilters = { ...period };
  const team = p.get("team");
  const agent = p.get("agent");
  const channel = pick(REPORT_CHANNELS, p.get("channel"));
  const language = pick(LOCALES, p.get("language"));
  const priority = pick(TICKET_PRIORITIES, p.get("priority"));
  const tag = p.get("tag");
  if (team) f.teamId = team;
  if (agent) f.agentId = agent;
  if (channel) f.channel = channel;
  if (language) f.language = language;
  if (priority) f.priority = priority;
  if (tag) f.tag = tag;
  return f;
}

/**
 * The reports dashboard (issue 16): headline figures against the previous period, tickets per
 * day, peak hours, agents, staffing advice with the Erlang C calculator, and CSAT. Filters live
 * in the address (a dashboard can be shared as a link); every point drills down to its tickets.
 */
export function ReportsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const teams = useTeams().data ?? [];
  const days = PERIODS.includes(params.get("days") as (typeof PERIODS)[number])
    ? Number(params.get("days"))
    : 30;
  const users = (useUsers().data ?? []).filter((u) => u.active);
  const period = useMemo(() => periodOf(days), [days]);
  const query = params.toString();
  const filters: ReportFilters = useMemo(
    () => filtersOf(new URLSearchParams(query), period),
    [query, period],
  );
  const [tag, setTag] = useState(filters.tag ?? "");
  const [drill, setDrill] = useState<{ point: DrillPoint; title: string } | null>(null);
  const overview = useOverview(filters);
  const set = (key: string, value: string | null) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  const onDrill = (point: DrillPoint, title: string) => setDrill({ point, title });
  const fetching = overview.isFetching;

  return (
    <Stack
      p={{ base: "xs", sm: "md" }}
      gap="md"
      maw={1400}
      miw={0}
      style={{ overflowWrap: "anywhere" }}
      data-testid="reports-page"
    >
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <Title order={1} size="h2">
          {t("reports.title")}
        </Title>
        <Group gap="sm" wrap="wrap" align="flex-end">
          <Select
            label={t("reports.period")}
            data={PERIODS.map((d) => ({ value: d, label: t("reports.lastDays", { count: Number(d) }) }))}
            value={String(days)}
            onChange={(v) => set("days", v)}
            allowDeselect={false}
            w={170}
          />
          <Select
            label={t("reports.team")}
            placeholder={t("reports.allTeams")}
            data={teams.map((tm) => ({ value: tm.id, label: tm.name }))}
            value={filters.teamId ?? null}
            onChange={(v) => set("team", v)}
            clearable
            w={180}
          />
          <Select
            label={t("reports.channel")}
            placeholder={t("reports.allChannels")}
            data={REPORT_CHANNELS.map((c) => ({ value: c, label: t(`reports.channels.${c}`) }))}
            value={filters.channel ?? null}
            onChange={(v) => set("channel", v)}
            clearable
            w={160}
          />
          <Select
            label={t("reports.agent")}
            placeholder={t("reports.allAgents")}
            data={users.map((u) => ({ value: u.id, label: u.name }))}
            value={filters.agentId ?? null}
            onChange={(v) => set("agent", v)}
            clearable
            searchable
            w={180}
          />
          <Select
            label={t("reports.language")}
            placeholder={t("reports.allLanguages")}
            data={LOCALES.map((l) => ({ value: l, label: formatLanguage(l) }))}
            value={filters.language ?? null}
            onChange={(v) => set("language", v)}
            clearable
            w={150}
          />
          <Select
            label={t("reports.priority")}
            placeholder={t("reports.allPriorities")}
            data={TICKET_PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
            value={filters.priority ?? null}
            onChange={(v) => set("priority", v)}
            clearable
            w={150}
          />
          <TextInput
            label={t("reports.tag")}
            placeholder={t("reports.anyTag")}
            value={tag}
            onChange={(e) => setTag(e.currentTarget.value.replace(/[\s,]/g, ""))}
            onBlur={() => set("tag", tag || null)}
            onKeyDown={(e) => {
              if (e.key === "Enter") set("tag", tag || null);
            }}
            w={140}
          />
        </Group>
      </Group>
      <Progress
        value={100}
        animated
        size="xs"
        style={{ visibility: fetching ? "visible" : "hidden" }}
        aria-label={t("reports.loading")}
        aria-hidden={!fetching}
      />
      {overview.isError && <Alert color="red">{t("reports.error")}</Alert>}
      <OverviewCards data={overview.data} loading={overview.isPending} />
      <TimeseriesCard filters={filters} onDrill={onDrill} />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
        <HeatmapCard filters={filters} onDrill={onDrill} />
        <CsatCard filters={filters} onDrill={onDrill} />
      </SimpleGrid>
      <StaffingCard filters={filters} onDrill={onDrill} />
      <AgentsCard filters={filters} onDrill={onDrill} />
      <DrillDrawer filters={filters} drill={drill} onClose={() => setDrill(null)} />
    </Stack>
  );
}
