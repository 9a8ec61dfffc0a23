import { Badge, Box } from "@mantine/core";
import type { Sentiment, TicketPriority, TicketStatus } from "@rapport/shared";
import { useTranslation } from "react-i18next";
import { useReadableShade } from "../../components/kit/index.ts";

const STATUS_COLOR: Record<TicketStatus, string> = {
  new: "yellow",
  open: "red",
  pending: "blue",
  on_hold: "dark",
  solved: "gray",
  closed: "gray",
};

const PRIORITY_COLOR: Record<TicketPriority, string> = {
  low: "gray",
  normal: "blue",
  high: "orange",
  urgent: "red",
};

export function StatusBadge({ status }: { status: TicketStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status]} variant="dot" data-status={status}>
      {t(`status.${status}`)}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: TicketPriority }) {
  const { t } = useTranslation();
  return (
    <Badge color={PRIORITY_COLOR[priority]} variant="dot" radius="sm">
      {t(`priority.${priority}`)}
    </Badge>
  );
}

/** A frowning face: the angry-customer flag (the latest customer message is negative). */
function FrownIcon({ size = 16 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <circle cx="8" cy="8" r="7" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <circle cx="5.5" cy="6.3" r="1" fill="currentColor" />
      <circle cx="10.5" cy="6.3" r="1" fill="currentColor" />
      <path
        d="M5 11.6c1.6-1.7 4.4-1.7 6 0"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
        strokeLinecap="round"
      />
    </svg>
  );
}

/** Sentiment colours, shown in the shade readable in the current theme (the kit's `useReadableShade`). */
const SENTIMENT_COLOR: Record<Sentiment, string> = { negative: "red", neutral: "gray", positive: "teal" };

/**
 * The angry-customer flag in an inbox row: shown only while the customer's latest message is
 * negative; its accessible name says so in the reader's language.
 */
export function SentimentFlag({ sentiment }: { sentiment: Sentiment | null | undefined }) {
  const { t } = useTranslation();
  const shade = useReadableShade();
  if (sentiment !== "negative") return null;
  const label = t("sentiment.flag");
  return (
    <Box
      component="span"
      role="img"
      aria-label={label}
      title={label}
      data-sentiment="negative"
      c={shade(SENTIMENT_COLOR.negative)}
      style={{ display: "inline-flex", verticalAlign: "middle" }}
    >
      <FrownIcon />
    </Box>
  );
}

/** The ticket header's sentiment: the latest customer message's, and the worst one if it differs. */
export function SentimentBadge({
  sentiment,
  worst,
}: {
  sentiment: Sentiment | null | undefined;
  worst: Sentiment | null | undefined;
}) {
  const { t } = useTranslation();
  const shade = useReadableShade();
  if (!sentiment) return null;
  return (
    <Badge
      color={shade(SENTIMENT_COLOR[sentiment])}
      variant="outline"
      radius="sm"
      data-sentiment={sentiment}
      leftSection={sentiment === "negative" ? <FrownIcon size={12} /> : undefined}
      title={t("sentiment.help")}
    >
      {t(`sentiment.${sentiment}`)}
      {worst && worst !== sentiment ? ` · ${t("sentiment.worst", { value: t(`sentiment.${worst}`) })}` : ""}
    </Badge>
  );
}
