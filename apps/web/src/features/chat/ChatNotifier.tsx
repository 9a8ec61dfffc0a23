import { Affix, Button, Group, Paper, Text } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import type { Me } from "../../lib/types.ts";
import { useRealtime } from "../realtime/RealtimeProvider.tsx";

const ASKED = "rapport.chat.notificationsAsked";

/** A short two-tone chime made with WebAudio (no audio file to load). */
export function chime() {
  try {
    const Ctx =
      window.AudioContext ??
      (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctx) return;
    const ctx = new Ctx();
    [880, 1320].forEach((f, i) => {
      const o = ctx.createOscillator();
      const g = ctx.createGain();
      o.frequency.value = f;
      g.gain.setValueAtTime(0.0001, ctx.currentTime + i * 0.15);
      g.gain.exponentialRampToValueAtTime(0.2, ctx.currentTime + i * 0.15 + 0.02);
      g.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + i * 0.15 + 0.25);
      o.connect(g).connect(ctx.destination);
      o.start(ctx.currentTime + i * 0.15);
      o.stop(ctx.currentTime + i * 0.15 + 0.3);
    });
    setTimeout(() => ctx.close(), 1000);
  } catch {
    /* sound is best effort */
  }
}

/**
 * Always mounted: a new chat (or one assigned to me) rings and shows a desktop notification;
 * the browser's permission is asked once, from a button (browsers want a user gesture).
 */
export function ChatNotifier({ me }: { me: Me }) {
  const { t } = useTranslation();
  const rt = useRealtime();
  const navigate = useNavigate();
  const qc = useQueryClient();
  // Phones: slim bars along the bottom instead of cards over the list.
  const phone = useMediaQuery("(max-width: 48em)") ?? false;
  const [ask, setAsk] = useState(
    () =>
      typeof Notification !== "undefined" &&
      Notification.permission === "default" &&
      !localStorage.getItem(ASKED),
  );
  const [last, setLast] = useState<{ id: string; subject: string } | null>(null);

  useEffect(() => {
    const off = rt.subscribe((frame, replay) => {
      if (!replay.countsApply && frame.type !== "message") return;
      if (frame.type === "ticket" && frame.ticket.channel === "chat") {
        const mineNow = frame.ticket.assignee?.id === me.user.id;
        const assignedToMe = frame.event === "updated" && "assigneeId" in (frame.changes ?? {}) && mineNow;
        const fresh = frame.event === "created" && (mineNow || !frame.ticket.assignee);
        if (!fresh && !assignedToMe) return;
        qc.invalidateQueries({ queryKey: ["chat"] });
        chime();
        setLast({ id: frame.ticket.id, subject: frame.ticket.subject });
        if (typeof Notification !== "undefined" && Notification.permission === "granted" && document.hidden) {
          const n = new Notification(t("chat.notify.title"), {
            body: frame.ticket.subject,
            tag: frame.ticket.id,
          });
          n.onclick = () => {
            window.focus();
            navigate(`/tickets/${frame.ticket.id}`);
          };
        }
      } else if (
        frame.type === "message" &&
        frame.message.channel === "chat" &&
        frame.message.author.type === "customer" &&
        document.hidden
      ) {
        chime();
      }
    });
    return () => {
      off();
    };
  }, [rt, me.user.id, navigate, qc, t]);

  return (
    <>
      {ask && (
        <Affix position={phone ? { bottom: 8, left: 8, right: 8 } : { bottom: 16, left: 16 }}>
          <Paper withBorder shadow="md" p={phone ? "xs" : "sm"} maw={phone ? undefined : 320}>
            <Text size={phone ? "xs" : "sm"} mb={phone ? 4 : "xs"}>
              {t("chat.notify.ask")}
            </Text>
            <Group gap="xs">
              <Button
                size="xs"
                onClick={async () => {
                  localStorage.setItem(ASKED, "1");
                  setAsk(false);
                  await Notification.requestPermission();
                }}
              >
                {t("chat.notify.enable")}
              </Button>
              <Button
                size="xs"
                variant="subtle"
                onClick={() => {
                  localStorage.setItem(ASKED, "1");
                  setAsk(false);
                }}
              >
                {t("chat.notify.later")}
              </Button>
            </Group>
          </Paper>
        </Affix>
      )}
      {last && (
        <Affix position={phone ? { bottom: 8, left: 8, right: 8 } : { bottom: 16, right: 16 }}>
          <Paper
            withBorder
            shadow="md"
            p={phone ? "xs" : "sm"}
            maw={phone ? undefined : 340}
            role="status"
            data-testid="chat-incoming"
          >
            <Text size="sm" fw={600}>
              {t("chat.notify.title")}
            </Text>
            <Text size="sm" lineClamp={2}>
              {last.subject}
            </Text>
            <Group gap="xs" mt="xs">
              <Button
                size="xs"
                onClick={() => {
                  navigate(`/tickets/${last.id}`);
                  setLast(null);
                }}
              >
                {t("chat.notify.open")}
              </Button>
              <Button size="xs" variant="subtle" onClick={() => setLast(null)}>
                {t("chat.notify.dismiss")}
              </Button>
            </Group>
          </Paper>
        </Affix>
      )}
    </>
  );
}
