import { Affix, Alert, Anchor, Stack, Text } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { formatDateTime } from "../../lib/format.ts";
import type { Me } from "../../lib/types.ts";
import { useCallbacks, useReminders } from "./api.ts";

/** The assignee's reminder: call-backs whose due time came, until they are dealt with or dismissed. */
export function CallbackReminders(_: { me: Me }) {
  const { t } = useTranslation();
  const reminders = useReminders();
  const phone = useMediaQuery("(max-width: 48em)") ?? false;
  const [dismissed, setDismissed] = useState<Set<string>>(new Set());
  const due = (reminders.data?.items ?? []).filter((c) => !dismissed.has(`${c.id}@${c.dueAt}`));
  const bar = useRef<HTMLDivElement>(null);
  const shown = due.length > 0;
  // On a phone the bar takes its height (and its margins) off the bottom of full-height pages
  // (--rapport-bottom-bar), so it never covers the end of a ticket's reply box.
  useEffect(() => {
    const el = bar.current;
    const root = document.documentElement.style;
    if (!shown || !phone || !el) return;
    const reserve = () => root.setProperty("--rapport-bottom-bar", `${el.offsetHeight + 16}px`);
    reserve();
    const observer = new ResizeObserver(reserve);
    observer.observe(el);
    return () => {
      observer.disconnect();
      root.removeProperty("--rapport-bottom-bar");
    };
  }, [shown, phone]);
  if (!shown) return null;
  // On a phone: one slim bar along the bottom (title and link), not a card over the list.
  return (
    <Affix position={phone ? { bottom: 8, left: 8, right: 8 } : { bottom: 16, right: 16 }} zIndex={300}>
      <Alert
        ref={bar}
        p={phone ? "xs" : undefined}
        // The darkest orange: the default shade's title fails contrast on its light background (axe).
        color="orange.9"
        title={t("phone.reminder.title", { count: due.length })}
        withCloseButton
        closeButtonLabel={t("phone.reminder.dismiss")}
        onClose={() => setDismissed(new Set([...dismissed, ...due.map((c) => `${c.id}@${c.dueAt}`)]))}
        role="status"
        maw={phone ? undefined : 360}
        data-testid="callback-reminder"
      >
        <Stack gap={2}>
          {due.slice(0, phone ? 0 : 3).map((c) => (
            <Text size="sm" key={c.id}>
              {c.name || c.contact.name} · {c.phone} · {formatDateTime(c.dueAt)}
            </Text>
          ))}
          <Anchor component={Link} to="/callbacks" size="sm" c="inherit" fw={600} underline="always">
            {t("phone.reminder.open")}
          </Anchor>
        </Stack>
      </Alert>
    </Affix>
  );
}

/** The navigation badge: open call-backs that are overdue. */
export function OverdueBadge() {
  const q = useCallbacks({ status: "open", overdue: true });
  const n = q.data?.items.length ?? 0;
  if (n === 0) return null;
  return (
    <Text size="xs" fw={700} c="red" aria-label={String(n)}>
      {n >= 100 ? "99+" : n}
    </Text>
  );
}
