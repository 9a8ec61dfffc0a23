import { Badge } from "@mantine/core";
import type { TicketPriority, TicketStatus } from "@rapport/shared";
import { useTranslation } from "react-i18next";

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
