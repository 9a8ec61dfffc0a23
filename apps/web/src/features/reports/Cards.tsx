import {
  Alert,
  Button,
  Grid,
  Group,
  NumberInput,
  Paper,
  ScrollArea,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
  UnstyledButton,
} from "@mantine/core";
import i18n from "i18next";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../lib/api.ts";
import { formatDuration, formatNumber, formatPercent } from "../../lib/format.ts";
import {
  type DrillPoint,
  type ErlangResult,
  type ReportFilters,
  type StaffingCell,
  useAgents,
  useCsatTrend,
  useErlangC,
  useHeatmap,
  useStaffing,
  useTimeseries,
} from "./api.ts";
import { ChartCard } from "./ChartCard.tsx";
import { EChart } from "./EChart.tsx";

type Drill = (p: DrillPoint, title: string) => void;
type CardProps = { filters: ReportFilters; onDrill: Drill };

/** Monday first; the API's weekday numbers are 0 Sunday … 6 Saturday. */
export const WEEK = [1, 2, 3, 4, 5, 6, 0];
const HOURS = Array.from({ length: 24 }, (_, h) => h);

/** 2026-11-22 was a Sunday: weekday names from Intl, in the UI language. */
export function weekdayName(wd: number, width: "long" | "short" = "long") {
  return new Intl.DateTimeFormat(i18n.language || "en", { weekday: width, timeZone: "UTC" }).format(
    new Date(Date.UTC(2026, 10, 22 + wd, 12)),
  );
}
export const hourLabel = (h: number) => `${String(h).padStart(2, "0")}:00`;
/** A calendar day (YYYY-MM-DD) as a short localised date. */
export function dayLabel(day: string) {
  return new Intl.DateTimeFormat(i18n.language || "en", {
    month: "short",
    day: "numeric",
    timeZone: "UTC",
  }).format(new Date(`${day}T12:00:00Z`));
}
/** Every day of the period in the organization's zone, so quiet days show as zero. */
export function daysOf(from: string, to: string, timeZone: string) {
  const f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
  const out: string[] = [];
  for (let t = Date.parse(from); t < Date.parse(to); t += 3_600_000) {
    const d = f.format(new Date(t));
    if (out[out.length - 1] !== d) out.push(d);
  }
  return out;
}
const axisNumber = { axisLabel: { formatter: (v: number) => formatNumber(v) } };

export function TimeseriesCard({ filters, onDrill }: CardProps) {
  const { t } = useTranslation();
  const q = useTimeseries(filters);
  const model = useMemo(() => {
    const rows = q.data?.days ?? [];
    const days = q.data ? daysOf(filters.from, filters.to, q.data.timeZone) : [];
    const channels = [...new Set(rows.map((r) => r.channel))];
    const at = (day: string, ch?: string) =>
      rows
        .filter((r) => r.day === day && (!ch || r.channel === ch))
        .reduce((a, r) => ({ created: a.created + r.created, solved: a.solved + r.solved }), {
          created: 0,
          solved: 0,
        });
    return { rows, days, channels, at };
  }, [q.data, filters.from, filters.to]);
  const solvedName = t("reports.solved");
  const option = useMemo(
    () => ({
      tooltip: { trigger: "axis", valueFormatter: (v: number) => formatNumber(v) },
      legend: { type: "scroll", bottom: 0 },
      grid: { left: 40, right: 16, top: 16, bottom: 56 },
      xAxis: { type: "category", data: model.days.map(dayLabel) },
      yAxis: { type: "value", minInterval: 1, ...axisNumber },
      series: [
        ...model.channels.map((ch) => ({
          type: "bar",
          stack: "created",
          name: t(`reports.channels.${ch}`),
          data: model.days.map((d) => model.at(d, ch).created),
        })),
        { type: "line", name: solvedName, data: model.days.map((d) => model.at(d).solved), smooth: true },
      ],
    }),
    [model, t, solvedName],
  );
  const title = t("reports.timeseries.title");
  const drill = (i: number, series?: string) => {
    const day = model.days[i];
    if (!day) return;
    const ch = model.channels.find((c) => t(`reports.channels.${c}`) === series);
    if (series === solvedName) onDrill({ metric: "solved", day }, `${solvedName} · ${dayLabel(day)}`);
    else onDrill({ metric: "created", day, channel: ch }, `${t("reports.created")} · ${dayLabel(day)}`);
  };
  return (
    <ChartCard
      id="timeseries"
      title={title}
      period={filters}
      loading={q.isFetching}
      data={{
        header: [t("reports.col.day"), t("reports.col.channel"), t("reports.created"), solvedName],
        rows: model.rows.map((r) => [r.day, r.channel, r.created, r.solved]),
        display: model.days.map((d) => [
          dayLabel(d),
          "",
          formatNumber(model.at(d).created),
          formatNumber(model.at(d).solved),
        ]),
      }}
      onRow={(i) => drill(i)}
      chart={(ref) => (
        <EChart
          option={option}
          label={title}
          chartRef={ref}
          onPoint={(p) => drill(p.dataIndex, p.seriesName)}
        />
      )}
    />
  );
}

export function HeatmapCard({ filters, onDrill }: CardProps) {
  const { t } = useTranslation();
  const q = useHeatmap(filters);
  const cells = q.data?.cells ?? [];
  const grid = useMemo(() => {
    const n = new Map<string, number>();
    for (const c of cells)
      n.set(`${c.weekday}-${c.hour}`, (n.get(`${c.weekday}-${c.hour}`) ?? 0) + c.arrivals);
    return n;
  }, [cells]);
  const at = (wd: number, h: number) => grid.get(`${wd}-${h}`) ?? 0;
  const max = Math.max(1, ...grid.values());
  const option = useMemo(
    () => ({
      tooltip: {
        formatter: (p: { data: [number, number, number] }) =>
          `${weekdayName(WEEK[p.data[1]] ?? 0)} ${hourLabel(p.data[0])}: ${formatNumber(p.data[2])}`,
      },
      grid: { left: 56, right: 8, top: 8, bottom: 64 },
      xAxis: {
        type: "category",
        data: HOURS.map((h) => String(h).padStart(2, "0")),
        splitArea: { show: true },
      },
      yAxis: { type: "category", data: WEEK.map((d) => weekdayName(d, "short")), inverse: true },
      visualMap: {
        min: 0,
        max,
        orient: "horizontal",
        left: "center",
        bottom: 0,
        itemHeight: 120,
        inRange: { color: ["#e6fcf5", "#63e6be", "#087f5b"] },
        formatter: (v: number) => formatNumber(Math.round(v)),
      },
      series: [
        {
          type: "heatmap",
          name: t("reports.heatmap.arrivals"),
          data: WEEK.flatMap((wd, yi) => HOURS.map((h) => [h, yi, at(wd, h)])),
          emphasis: { itemStyle: { borderColor: "#000", borderWidth: 1 } },
        },
      ],
    }),
    [grid, max, t],
  );
  const tz = q.data?.timeZone ?? "";
  const title = t("reports.heatmap.title", { zone: tz || "…" });
  const drill = (wd: number, h: number) =>
    onDrill({ metric: "created", weekday: wd, hour: h }, `${weekdayName(wd)} ${hourLabel(h)} (${tz})`);
  return (
    <ChartCard
      id="heatmap"
      title={title}
      period={filters}
      loading={q.isFetching}
      data={{
        header: [
          t("reports.col.weekday"),
          t("reports.col.hour"),
          t("reports.col.channel"),
          t("reports.heatmap.arrivals"),
        ],
        rows: cells.map((c) => [weekdayName(c.weekday), hourLabel(c.hour), c.channel, c.arrivals]),
      }}
      table={
        <ScrollArea type="auto">
          <Table fz="xs" withColumnBorders ta="center" miw={760} data-testid="heatmap-table">
            <Table.Caption className="sr-only">{title}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th />
                {HOURS.map((h) => (
                  <Table.Th key={h} px={2}>
                    {String(h).padStart(2, "0")}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {WEEK.map((wd) => (
                <Table.Tr key={wd}>
                  <Table.Th>{weekdayName(wd, "short")}</Table.Th>
                  {HOURS.map((h) => {
                    const n = at(wd, h);
                    return (
                      <Table.Td
                        key={h}
                        p={0}
                        style={{
                          background: n
                            ? `rgba(12, 166, 120, ${(0.12 + (0.7 * n) / max).toFixed(2)})`
                            : undefined,
                        }}
                      >
                        <UnstyledButton
                          w="100%"
                          py={4}
                          fz="xs"
                          c={n / max > 0.6 ? "white" : undefined}
                          data-testid={`heat-${wd}-${h}`}
                          aria-label={t("reports.heatmap.cell", {
                            day: weekdayName(wd),
                            hour: hourLabel(h),
                            count: n,
                          })}
                          onClick={() => drill(wd, h)}
                        >
                          {n || ""}
                        </UnstyledButton>
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      }
      chart={(ref) => (
        <EChart
          option={option}
          label={title}
          chartRef={ref}
          height={320}
          onPoint={(p) => {
            const [h, yi] = p.data as [number, number];
            drill(WEEK[yi] ?? 0, h);
          }}
        />
      )}
    />
  );
}

export function CsatCard({ filters, onDrill }: CardProps) {
  const { t, i18n: tr } = useTranslation();
  const q = useCsatTrend(filters);
  const days = useMemo(
    () => (q.data ? daysOf(filters.from, filters.to, q.data.timeZone) : []),
    [q.data, filters.from, filters.to],
  );
  const byDay = new Map((q.data?.days ?? []).map((d) => [d.day, d]));
  const reasons = q.data?.reasons ?? [];
  const reasonLabel = (labels: Record<string, string>, id: string | null) =>
    id === null ? t("reports.csat.noReason") : (labels[tr.language] ?? labels.en ?? "");
  const trend = {
    tooltip: { trigger: "axis" },
    legend: { bottom: 0 },
    grid: { left: 40, right: 48, top: 16, bottom: 56 },
    xAxis: { type: "category", data: days.map(dayLabel) },
    yAxis: [
      { type: "value", minInterval: 1, ...axisNumber },
      { type: "value", min: 0, max: 1, axisLabel: { formatter: (v: number) => formatPercent(v, 0) } },
    ],
    series: [
      { type: "bar", name: t("reports.csat.rated"), data: days.map((d) => byDay.get(d)?.rated ?? 0) },
      {
        type: "line",
        name: t("reports.csat.rate"),
        yAxisIndex: 1,
        connectNulls: true,
        data: days.map((d) => byDay.get(d)?.rate ?? null),
        tooltip: { valueFormatter: (v: number | null) => formatPercent(v) },
      },
    ],
  };
  const reasonsOption = {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1, ...axisNumber },
    yAxis: { type: "category", inverse: true, data: reasons.map((r) => reasonLabel(r.labels, r.id)) },
    series: [
      { type: "bar", name: t("reports.csat.bad"), data: reasons.map((r) => r.count), color: "#e03131" },
    ],
  };
  const trendTitle = t("reports.csat.title");
  const reasonsTitle = t("reports.csat.reasons");
  const drillDay = (i: number) => {
    const day = days[i];
    if (day) onDrill({ metric: "rated", day }, `${trendTitle} · ${dayLabel(day)}`);
  };
  const drillReason = (i: number) => {
    const r = reasons[i];
    if (r)
      onDrill(
        { metric: "rated", ...(r.id ? { reasonId: r.id } : {}) },
        `${reasonsTitle} · ${reasonLabel(r.labels, r.id)}`,
      );
  };
  return (
    <>
      <ChartCard
        id="csat"
        title={trendTitle}
        period={filters}
        loading={q.isFetching}
        data={{
          header: [
            t("reports.col.day"),
            t("reports.csat.rated"),
            t("reports.csat.good"),
            t("reports.csat.rate"),
          ],
          rows: (q.data?.days ?? []).map((d) => [d.day, d.rated, d.good, d.rate]),
          display: (q.data?.days ?? []).map((d) => [dayLabel(d.day), d.rated, d.good, formatPercent(d.rate)]),
        }}
        onRow={(i) => {
          const d = q.data?.days[i];
          if (d) drillDay(days.indexOf(d.day));
        }}
        chart={(ref) => (
          <EChart option={trend} label={trendTitle} chartRef={ref} onPoint={(p) => drillDay(p.dataIndex)} />
        )}
      />
      <ChartCard
        id="csat-reasons"
        title={reasonsTitle}
        period={filters}
        loading={q.isFetching}
        data={{
          header: [t("reports.csat.reason"), t("reports.csat.bad")],
          rows: reasons.map((r) => [reasonLabel(r.labels, r.id), r.count]),
        }}
        onRow={drillReason}
        chart={(ref) => (
          <EChart
            option={reasonsOption}
            label={reasonsTitle}
            chartRef={ref}
            height={Math.max(160, 40 * reasons.length)}
            onPoint={(p) => drillReason(p.dataIndex)}
          />
        )}
      />
    </>
  );
}

export function AgentsCard({ filters, onDrill }: CardProps) {
  const { t } = useTranslation();
  const q = useAgents(filters);
  const items = q.data?.items ?? [];
  return (
    <ChartCard
      id="agents"
      title={t("reports.agents.title")}
      period={filters}
      loading={q.isFetching}
      data={{
        header: [
          t("reports.col.agent"),
          t("reports.solved"),
          t("reports.figures.firstResponseP50"),
          t("reports.figures.resolutionP50"),
          t("reports.csat.rated"),
          t("reports.csat.good"),
          t("reports.figures.csat"),
        ],
        rows: items.map((a) => [
          a.agent.name,
          a.solved,
          a.firstResponseP50 === null ? null : Math.round(a.firstResponseP50),
          a.resolutionP50 === null ? null : Math.round(a.resolutionP50),
          a.csatRated,
          a.csatGood,
          a.csatRate,
        ]),
        display: items.map((a) => [
          a.agent.name,
          formatNumber(a.solved),
          formatDuration(a.firstResponseP50),
          formatDuration(a.resolutionP50),
          formatNumber(a.csatRated),
          formatNumber(a.csatGood),
          formatPercent(a.csatRate),
        ]),
      }}
      onRow={(i) => {
        const a = items[i];
        if (a) onDrill({ metric: "solved", agentId: a.agent.id }, `${t("reports.solved")} · ${a.agent.name}`);
      }}
    />
  );
}

const STAFF_CHANNELS = ["chat", "phone", "email"] as const;

export function StaffingCard({ filters, onDrill }: CardProps) {
  const { t } = useTranslation();
  const [shrinkage, setShrinkage] = useState(30);
  const [channel, setChannel] = useState<(typeof STAFF_CHANNELS)[number]>("chat");
  const [weekday, setWeekday] = useState(1);
  const q = useStaffing(filters, shrinkage / 100);
  const all = q.data?.cells ?? [];
  const day = all.filter((c) => c.channel === channel && c.weekday === weekday);
  const [picked, setPicked] = useState<StaffingCell | null>(null);
  const title = t("reports.staffing.title");
  const option = {
    tooltip: { trigger: "axis" },
    legend: { bottom: 0 },
    grid: { left: 40, right: 16, top: 16, bottom: 56 },
    xAxis: { type: "category", data: HOURS.map(hourLabel) },
    yAxis: { type: "value", minInterval: 1, ...axisNumber },
    series: [
      {
        type: "bar",
        name: t("reports.staffing.needed"),
        data: day.map((c) => ({
          value: c.needed,
          itemStyle: c.understaffed ? { color: "#e03131" } : undefined,
        })),
      },
      {
        type: "line",
        step: "middle",
        name: t("reports.staffing.scheduled"),
        data: day.map((c) => c.scheduled),
      },
    ],
  };
  const drill = (i: number) => {
    const c = day[i];
    if (!c) return;
    setPicked(c);
    onDrill(
      { metric: "created", weekday: c.weekday, hour: c.hour, channel: c.channel },
      `${t(`reports.channels.${c.channel}`)} · ${weekdayName(c.weekday)} ${hourLabel(c.hour)}`,
    );
  };
  const under = day.filter((c) => c.understaffed).length;
  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, lg: 8 }}>
        <ChartCard
          id="staffing"
          title={title}
          period={filters}
          loading={q.isFetching}
          extra={
            <>
              <SegmentedControl
                size="xs"
                value={channel}
                onChange={(v) => setChannel(v as typeof channel)}
                data={STAFF_CHANNELS.map((c) => ({ value: c, label: t(`reports.channels.${c}`) }))}
                aria-label={t("reports.channel")}
              />
              <Select
                size="xs"
                w={130}
                aria-label={t("reports.col.weekday")}
                data={WEEK.map((d) => ({ value: String(d), label: weekdayName(d) }))}
                value={String(weekday)}
                onChange={(v) => setWeekday(Number(v ?? 1))}
                allowDeselect={false}
              />
              <NumberInput
                size="xs"
                w={120}
                label={t("reports.staffing.shrinkage")}
                min={0}
                max={90}
                suffix=" %"
                value={shrinkage}
                onChange={(v) => setShrinkage(Math.min(90, Math.max(0, Number(v) || 0)))}
              />
            </>
          }
          data={{
            header: [
              t("reports.col.channel"),
              t("reports.col.weekday"),
              t("reports.col.hour"),
              t("reports.staffing.arrivals"),
              t("reports.staffing.aht"),
              t("reports.staffing.needed"),
              t("reports.staffing.scheduled"),
              t("reports.staffing.understaffed"),
            ],
            rows: all.map((c) => [
              c.channel,
              weekdayName(c.weekday),
              hourLabel(c.hour),
              Math.round(c.arrivalsPerHour * 100) / 100,
              Math.round(c.ahtSeconds),
              c.needed,
              c.scheduled,
              c.understaffed,
            ]),
            display: day.map((c) => [
              hourLabel(c.hour),
              "",
              "",
              formatNumber(Math.round(c.arrivalsPerHour * 100) / 100),
              formatDuration(c.ahtSeconds),
              formatNumber(c.needed),
              formatNumber(c.scheduled),
              c.understaffed ? t("reports.staffing.understaffed") : "",
            ]),
          }}
          onRow={drill}
          chart={(ref) => (
            <Stack gap={4}>
              <EChart option={option} label={title} chartRef={ref} onPoint={(p) => drill(p.dataIndex)} />
              <Text size="xs" c={under ? "red.8" : "dimmed"}>
                {t("reports.staffing.summary", {
                  count: under,
                  weeks: formatNumber(Math.round((q.data?.weeks ?? 0) * 10) / 10),
                })}
              </Text>
            </Stack>
          )}
        />
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 4 }}>
        <ErlangCalculator from={picked} />
      </Grid.Col>
    </Grid>
  );
}

/** POST /staffing/erlang-c: a manager's what-if; an hour picked on the staffing chart fills it in. */
export function ErlangCalculator({ from }: { from: StaffingCell | null }) {
  const { t } = useTranslation();
  const calc = useErlangC();
  const [v, setV] = useState({ arrivals: 30, aht: 300, target: 20, goal: 80, agents: "" as number | "" });
  const [seen, setSeen] = useState<StaffingCell | null>(null);
  if (from && from !== seen) {
    setSeen(from);
    setV((s) => ({
      ...s,
      arrivals: Math.round(from.arrivalsPerHour * 100) / 100,
      aht: Math.round(from.ahtSeconds),
    }));
  }
  const r: ErlangResult | undefined = calc.data;
  const field = (key: keyof typeof v, label: string, props: Record<string, unknown> = {}) => (
    <NumberInput
      size="xs"
      label={label}
      value={v[key]}
      min={0}
      onChange={(x) => setV((s) => ({ ...s, [key]: x === "" ? "" : Number(x) }))}
      {...props}
    />
  );
  return (
    <Paper withBorder p="md" radius="md" data-testid="erlang">
      <Title order={3} size="h5" mb="xs">
        {t("reports.erlang.title")}
      </Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          calc.mutate({
            arrivals: Number(v.arrivals),
            intervalSeconds: 3600,
            ahtSeconds: Number(v.aht),
            targetAnswerSeconds: Number(v.target),
            serviceLevelGoal: Number(v.goal) / 100,
            ...(v.agents === "" ? {} : { agents: Number(v.agents) }),
          });
        }}
      >
        <SimpleGrid cols={2} spacing="xs">
          {field("arrivals", t("reports.erlang.arrivals"), { decimalScale: 2 })}
          {field("aht", t("reports.erlang.aht"), { min: 1 })}
          {field("target", t("reports.erlang.target"))}
          {field("goal", t("reports.erlang.goal"), { min: 1, max: 99, suffix: " %" })}
          {field("agents", t("reports.erlang.agents"), { min: 1, allowDecimal: false })}
        </SimpleGrid>
        <Group mt="sm">
          <Button type="submit" size="xs" loading={calc.isPending}>
            {t("reports.erlang.calculate")}
          </Button>
        </Group>
      </form>
      {calc.isError && (
        <Alert color="red" mt="sm">
          {calc.error instanceof ApiError ? calc.error.message : t("reports.error")}
        </Alert>
      )}
      {r && (
        <Table mt="sm" fz="sm" data-testid="erlang-result">
          <Table.Tbody>
            {(
              [
                ["traffic", formatNumber(Math.round(r.trafficErlangs * 100) / 100)],
                ["agentsNeeded", formatNumber(r.agentsNeeded)],
                ["waiting", formatPercent(r.probabilityOfWaiting, 2)],
                ["asa", formatDuration(r.averageSpeedOfAnswerSeconds)],
                ["serviceLevel", formatPercent(r.serviceLevel, 1)],
                ["occupancy", formatPercent(r.occupancy, 1)],
              ] as const
            ).map(([k, val]) => (
              <Table.Tr key={k}>
                <Table.Th fw={500}>{t(`reports.erlang.${k}`)}</Table.Th>
                <Table.Td ta="end">{val}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
