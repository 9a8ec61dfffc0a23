import {
  Alert,
  Anchor,
  Badge,
  Box,
  Button,
  Divider,
  Drawer,
  Grid,
  Group,
  ScrollArea,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { useDisclosure, useMediaQuery } from "@mantine/hooks";
import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError, post } from "../../lib/api.ts";
import type { Me } from "../../lib/types.ts";
import { CustomerSidebar } from "../contacts/CustomerSidebar.tsx";
import { contributions } from "../extensions.ts";
import { neighbours } from "../inbox/api.ts";
import { PriorityBadge, SentimentBadge, StatusBadge } from "../inbox/labels.tsx";
import { type TicketList, usePresence, useRealtime } from "../realtime/RealtimeProvider.tsx";
import { useShortcuts } from "../shortcuts/useShortcuts.ts";
import { TierBadge } from "../value/TierBadge.tsx";
import { useEvents, useMessages, useTicket, useUpdateTicket } from "./api.ts";
import { Properties } from "./Properties.tsx";
import { ReplyBox, type ReplyBoxHandle } from "./ReplyBox.tsx";
import { Thread } from "./Thread.tsx";

const HEADER = contributions("ticketHeader");
const SIDEBAR = contributions("ticketSidebar");

/** Clears the unread marker of a ticket in every loaded inbox list. */
function markRead(qc: QueryClient, id: string) {
  qc.setQueriesData<TicketList>({ queryKey: ["tickets"] }, (data) =>
    data && "pages" in data
      ? {
          ...data,
          pages: data.pages.map((p) => ({
            ...p,
            items: p.items.map((t) => (t.id === id && t.unread ? { ...t, unread: false } : t)),
          })),
        }
      : data,
  );
}

function Presence({ ticketId, meId }: { ticketId: string; meId: string }) {
  const { t } = useTranslation();
  const others = usePresence(ticketId).filter((a) => a.userId !== meId);
  if (others.length === 0) return null;
  return (
    <Group gap={6} data-testid="presence" role="status" aria-live="polite">
      {others.map((a) => (
        <Badge key={a.userId} color={a.typing ? "orange" : "teal"} variant="light" data-typing={a.typing}>
          {a.typing ? t("ticket.isTyping", { name: a.name }) : t("ticket.isViewing", { name: a.name })}
        </Badge>
      ))}
    </Group>
  );
}

export function NotFound() {
  const { t } = useTranslation();
  return (
    <Stack p="xl" align="flex-start" data-testid="not-found">
      <Title order={1} size="h3">
        {t("common.notFoundTitle")}
      </Title>
      <Text>{t("common.notFound")}</Text>
      <Anchor component={Link} to="/inbox/mine">
        {t("common.backToInbox")}
      </Anchor>
    </Stack>
  );
}

export function TicketPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const ticket = useTicket(id);
  const ok = ticket.isSuccess;
  const messages = useMessages(id, ok);
  const events = useEvents(id, ok);
  const update = useUpdateTicket(id);
  const rt = useRealtime();
  const qc = useQueryClient();
  const reply = useRef<ReplyBoxHandle>(null);
  const viewport = useRef<HTMLDivElement>(null);
  const messageCount = messages.data?.items.length ?? 0;
  const { prev, next } = neighbours(id);

  useEffect(() => {
    if (!ok) return;
    rt.watch(id);
    post(`/tickets/${id}/read`)
      .then(() => markRead(qc, id))
      .catch(() => undefined);
    return () => rt.unwatch(id);
  }, [id, ok, rt, qc]);

  // New messages (sent or arriving live) scroll the thread to the bottom.
  useEffect(() => {
    if (messageCount > 0) viewport.current?.scrollTo({ top: viewport.current.scrollHeight });
  }, [messageCount]);

  // Below the md breakpoint the properties and customer panels live in a drawer.
  const [drawerOpen, drawer] = useDisclosure(false);
  const wide = useMediaQuery("(min-width: 62em)") ?? true;

  useShortcuts({
    r: () => reply.current?.focus("reply"),
    n: () => reply.current?.focus("note"),
    e: () => ticket.data?.permissions.update && update.mutate({ status: "solved" }),
    j: () => next && navigate(`/tickets/${next}`),
    k: () => prev && navigate(`/tickets/${prev}`),
    Escape: () => navigate(-1),
  });

  if (ticket.isError) {
    return ticket.error instanceof ApiError &&
      (ticket.error.status === 404 || ticket.error.status === 400) ? (
      <NotFound />
    ) : (
      <Alert color="red" m="md" role="alert">
        {t("common.error")}
      </Alert>
    );
  }
  const tk = ticket.data;
  if (!tk) return null;

  const sidebar = (
    <Stack p="md" gap="lg">
      <Properties ticket={tk} me={me} />
      {SIDEBAR.map((Panel, i) => (
        <Panel key={i} ticket={tk} me={me} />
      ))}
      <Divider />
      <CustomerSidebar contactId={tk.requester.id} currentTicketId={tk.id} />
    </Stack>
  );

  return (
    <>
      <Grid
        gap={0}
        h="calc(100vh - 56px - var(--rapport-bottom-bar, 0px))"
        styles={{ inner: { height: "100%" } }}
      >
        <Grid.Col span={{ base: 12, md: 8 }} h="100%" style={{ display: "flex", flexDirection: "column" }}>
          <Box p="md" style={{ borderBottom: "1px solid var(--mantine-color-default-border)" }}>
            <Group justify="space-between" wrap="wrap" align="flex-start" gap="xs">
              <Stack gap={4} style={{ minWidth: 0 }}>
                <Title order={1} size="h3" style={{ overflowWrap: "anywhere" }}>
                  <Text span c="dimmed" inherit>
                    #{tk.number}{" "}
                  </Text>
                  {tk.subject}
                </Title>
                <Group gap="xs">
                  <StatusBadge status={tk.status} />
                  <PriorityBadge priority={tk.priority} />
                  <SentimentBadge sentiment={tk.sentiment} worst={tk.worstSentiment} />
                  <TierBadge tier={tk.requester.tier} />
                  <Text size="sm" c="dimmed">
                    {t(`channel.${tk.channel}`)}
                  </Text>
                </Group>
              </Stack>
              <Group gap="xs" wrap="nowrap">
                <Button
                  variant="light"
                  size="xs"
                  hiddenFrom="md"
                  onClick={drawer.open}
                  data-testid="properties-button"
                >
                  {t("ticket.properties")}
                </Button>
                <Button
                  variant="default"
                  size="xs"
                  disabled={!prev}
                  onClick={() => prev && navigate(`/tickets/${prev}`)}
                  aria-label={t("ticket.previous")}
                >
                  ‹
                </Button>
                <Button
                  variant="default"
                  size="xs"
                  disabled={!next}
                  onClick={() => next && navigate(`/tickets/${next}`)}
                  aria-label={t("ticket.next")}
                >
                  ›
                </Button>
              </Group>
            </Group>
            <Box mt="xs">
              <Presence ticketId={id} meId={me.user.id} />
              {HEADER.map((Part, i) => (
                <Part key={i} ticket={tk} me={me} />
              ))}
            </Box>
          </Box>
          <ScrollArea style={{ flex: 1 }} p="md" type="auto" viewportRef={viewport}>
            <Thread messages={messages.data?.items ?? []} events={events.data ?? []} />
          </ScrollArea>
          <Box p="md" pt={0}>
            <ReplyBox ref={reply} ticket={tk} />
          </Box>
        </Grid.Col>
        <Grid.Col
          span={{ base: 12, md: 4 }}
          h="100%"
          visibleFrom="md"
          style={{ borderLeft: "1px solid var(--mantine-color-default-border)", overflow: "auto" }}
        >
          {sidebar}
        </Grid.Col>
      </Grid>
      <Drawer
        opened={drawerOpen && !wide}
        onClose={drawer.close}
        position="right"
        size="min(100%, 440px)"
        title={t("ticket.properties")}
        data-testid="properties-drawer"
      >
        {sidebar}
      </Drawer>
    </>
  );
}
