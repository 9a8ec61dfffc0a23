import { Group, SimpleGrid, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { StatCard } from "../../components/kit/index.ts";
import { formatDuration, formatNumber, formatPercent } from "../../lib/format.ts";
import type { Figures, Overview } from "./api.ts";

type Kind = "count" | "duration" | "share" | "ratio";
type Card = { key: string; kind: Kind; lowerIsBetter?: boolean; value: (f: Figures) => number | null };

export const OVERVIEW_CARDS: Card[] = [
  { key: "created", kind: "count", value: (f) => f.created },
  { key: "solved", kind: "count", value: (f) => f.solved },
  { key: "backlog", kind: "count", lowerIsBetter: true, value: (f) => f.backlog },
  {
    key: "firstResponseP50",
    kind: "duration",
    lowerIsBetter: true,
    value: (f) => f.firstResponseSeconds.p50,
  },
  {
    key: "firstResponseP90",
    kind: "duration",
    lowerIsBetter: true,
    value: (f) => f.firstResponseSeconds.p90,
  },
  {
    key: "firstResponseBusinessP50",
    kind: "duration",
    lowerIsBetter: true,
    value: (f) => f.firstResponseBusinessSeconds.p50,
  },
  { key: "resolutionP50", kind: "duration", lowerIsBetter: true, value: (f) => f.resolutionSeconds.p50 },
  { key: "resolutionP90", kind: "duration", lowerIsBetter: true, value: (f) => f.resolutionSeconds.p90 },
  {
    key: "resolutionBusinessP50",
    kind: "duration",
    lowerIsBetter: true,
    value: (f) => f.resolutionBusinessSeconds.p50,
  },
  { key: "chatWaitP50", kind: "duration", lowerIsBetter: true, value: (f) => f.chatWaitSeconds.p50 },
  { key: "chatWaitP90", kind: "duration", lowerIsBetter: true, value: (f) => f.chatWaitSeconds.p90 },
  { key: "chatUnanswered", kind: "count", lowerIsBetter: true, value: (f) => f.chatWaitSeconds.unanswered },
  { key: "slaCompliance", kind: "share", value: (f) => f.slaCompliance.rate },
  { key: "csat", kind: "share", value: (f) => f.csat.rate },
  { key: "csatResponseRate", kind: "share", value: (f) => f.csat.responseRate },
  { key: "promisesKept", kind: "share", value: (f) => f.promisesKept.rate },
  { key: "callbacksOnTime", kind: "share", value: (f) => f.callbacksOnTime.rate },
  { key: "reopenRate", kind: "share", lowerIsBetter: true, value: (f) => f.reopenRate },
  { key: "transfersPerTicket", kind: "ratio", lowerIsBetter: true, value: (f) => f.transfersPerTicket },
];

export function formatFigure(kind: Kind, v: number | null): string {
  if (v === null) return "–";
  if (kind === "duration") return formatDuration(v);
  if (kind === "share") return formatPercent(v);
  if (kind === "ratio") return formatNumber(Math.round(v * 100) / 100);
  return formatNumber(v);
}

/** The change against the previous period, as a share of the previous value (null: not comparable). */
export function change(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return (current - previous) / Math.abs(previous);
}

/** The headline figures, each with the previous period's value and the change, coloured by whether it is better. */
export function OverviewCards({ data, loading }: { data: Overview | undefined; loading: boolean }) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, md: 4, xl: 5 }} spacing="sm" data-testid="overview">
      {OVERVIEW_CARDS.map((c) => {
        const cur = data ? c.value(data.current) : null;
        const prev = data ? c.value(data.previous) : null;
        const d = change(cur, prev);
        const better = d === null || d === 0 ? null : c.lowerIsBetter ? d < 0 : d > 0;
        return (
          <StatCard
            key={c.key}
            label={t(`reports.figures.${c.key}`)}
            value={formatFigure(c.kind, cur)}
            loading={loading}
            testId={`figure-${c.key}`}
          >
            <Group gap={4} wrap="wrap">
              <Text size="xs" c={better === null ? "dimmed" : better ? "teal.8" : "red.8"} fw={600}>
                {d === null ? "" : `${d > 0 ? "▲" : d < 0 ? "▼" : ""} ${formatPercent(Math.abs(d), 0)}`}
              </Text>
              <Text size="xs" c="dimmed">
                {t("reports.previous", { value: formatFigure(c.kind, prev) })}
              </Text>
            </Group>
          </StatCard>
        );
      })}
    </SimpleGrid>
  );
}
