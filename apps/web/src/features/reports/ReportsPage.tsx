import { Alert, Group, Progress, Select, SimpleGrid, Stack, Title } from "@mantine/core";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
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
  const teamId = params.get("team") ?? undefined;
  const channel = params.get("channel") ?? undefined;
  const period = useMemo(() => periodOf(days), [days]);
  const filters: ReportFilters = useMemo(
    () => ({ ...period, ...(teamId ? { teamId } : {}), ...(channel ? { channel } : {}) }),
    [period, teamId, channel],
  );
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
            value={teamId ?? null}
            onChange={(v) => set("team", v)}
            clearable
            w={180}
          />
          <Select
            label={t("reports.channel")}
            placeholder={t("reports.allChannels")}
            data={REPORT_CHANNELS.map((c) => ({ value: c, label: t(`reports.channels.${c}`) }))}
            value={channel ?? null}
            onChange={(v) => set("channel", v)}
            clearable
            w={160}
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
