import { Badge, Tooltip } from "@mantine/core";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../lib/format.ts";
import type { SlaState } from "./api.ts";

/** Re-renders every `ms` so countdowns move without refetching. */
export function useNow(ms = 30_000) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

const AT_RISK_MS = 60 * 60_000;
export const STATE_COLOR: Record<SlaState, string> = {
  on_track: "green",
  at_risk: "orange",
  breached: "red",
  paused: "gray",
  none: "gray",
};

/** "2h 05m", "3d 4h", "12m" in the user's language (numbers through Intl). */
export function useDuration() {
  const { t, i18n } = useTranslation();
  return (ms: number) => {
    const nf = new Intl.NumberFormat(i18n.language);
    const m = Math.max(0, Math.round(ms / 60_000));
    const d = Math.floor(m / 1440);
    const h = Math.floor((m % 1440) / 60);
    const mm = m % 60;
    if (d > 0) return t("sla.duration.dh", { d: nf.format(d), h: nf.format(h) });
    if (h > 0) return t("sla.duration.hm", { h: nf.format(h), m: nf.format(mm).padStart(2, "0") });
    return t("sla.duration.m", { m: nf.format(mm) });
  };
}

/** State from a due time alone (inbox rows): breached when past, at risk in its last hour. */
export function stateOf(dueAt: string | null, now: number, goalAt?: string | null): SlaState {
  if (!dueAt) return "none";
  const due = Date.parse(dueAt);
  if (due <= now) return "breached";
  if ((goalAt && Date.parse(goalAt) <= now) || due - now <= AT_RISK_MS) return "at_risk";
  return "on_track";
}

/** A colored countdown to an SLA due time ("due in 2h 05m", "overdue by 12m"). */
export function SlaCountdown({
  dueAt,
  state,
  goalAt,
  compact,
}: {
  dueAt: string | null;
  state?: SlaState;
  goalAt?: string | null;
  compact?: boolean;
}) {
  const { t } = useTranslation();
  const now = useNow();
  const duration = useDuration();
  const s = state && state !== "on_track" && state !== "at_risk" ? state : stateOf(dueAt, now, goalAt);
  if (s === "none") return null;
  if (s === "paused")
    return (
      <Badge
        color="gray"
        variant="light"
        size={compact ? "sm" : "md"}
        data-testid="sla-countdown"
        data-state="paused"
      >
        {t("sla.paused")}
      </Badge>
    );
  if (!dueAt) return null;
  const left = Date.parse(dueAt) - now;
  const label =
    left >= 0 ? t("sla.dueIn", { time: duration(left) }) : t("sla.overdueBy", { time: duration(-left) });
  return (
    <Tooltip label={`${t(`sla.state.${s}`)} · ${formatDateTime(dueAt)}`}>
      <Badge
        color={STATE_COLOR[s]}
        variant={s === "breached" ? "filled" : "light"}
        size={compact ? "sm" : "md"}
        data-testid="sla-countdown"
        data-state={s}
        aria-label={`${t(`sla.state.${s}`)}: ${label}`}
      >
        {label}
      </Badge>
    </Tooltip>
  );
}
