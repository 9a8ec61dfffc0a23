import { Badge, Tooltip } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { Me, Ticket } from "../../lib/types.ts";
import { useTicketCsat } from "./api.ts";

/** A rating as a badge: "Good" / "Bad", or "4/5" on the five-point scale; green when good. */
export function RatingBadge({
  good,
  rating,
  scale,
}: {
  good: boolean;
  rating: number | null;
  scale: string;
}) {
  const { t } = useTranslation();
  const label = scale === "five" && rating ? `${rating}/5` : good ? t("csat.good") : t("csat.bad");
  return (
    <Badge color={good ? "teal" : "red"} variant="light" data-testid="csat-badge">
      {t("csat.badge", { rating: label })}
    </Badge>
  );
}

/** Under the ticket's title: the customer's latest rating, with their comment on hover. */
export function TicketCsatBadge({ ticket }: { ticket: Ticket; me: Me }) {
  const q = useTicketCsat(ticket.id);
  const rated = q.data?.surveys.filter((s) => s.ratedAt && s.good !== null);
  const last = rated?.sort((a, b) => (a.ratedAt ?? "").localeCompare(b.ratedAt ?? "")).at(-1);
  if (!last || last.good === null) return null;
  const badge = <RatingBadge good={last.good} rating={last.rating} scale={last.scale} />;
  const note = [last.reason?.label, last.comment].filter(Boolean).join(" · ");
  return note ? (
    <Tooltip label={note} multiline maw={320}>
      <span>{badge}</span>
    </Tooltip>
  ) : (
    badge
  );
}
