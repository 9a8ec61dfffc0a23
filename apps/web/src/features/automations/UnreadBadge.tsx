import { Badge } from "@mantine/core";
import { useNotifications } from "./api.ts";

/** The nav badge: unread notifications (runaround warnings, trigger notices). */
export function UnreadBadge() {
  const n = useNotifications().data?.unread ?? 0;
  return n > 0 ? (
    <Badge size="xs" color="orange" circle>
      {n}
    </Badge>
  ) : null;
}
