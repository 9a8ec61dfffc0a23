import { Anchor, Badge, Group, Paper, Stack, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { get, qs } from "../../lib/api.ts";
import { formatDate, formatNumber } from "../../lib/format.ts";
import type { SearchResult } from "../../lib/types.ts";
import { StatusBadge } from "../inbox/labels.tsx";

function Section({ title, count, children }: { title: string; count: number; children: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" component="section" aria-label={title}>
      <Title order={2} size="h4">
        {title} <Badge variant="light">{formatNumber(count)}</Badge>
      </Title>
      {count === 0 ? (
        <Text c="dimmed" size="sm">
          {t("search.none")}
        </Text>
      ) : (
        <Stack gap={6} component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
          {children}
        </Stack>
      )}
    </Stack>
  );
}

/** Global search results grouped by type, the most relevant group first (GET /search). */
export function SearchPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const q = params.get("q")?.trim() ?? "";
  const r = useQuery({
    queryKey: ["search", q],
    queryFn: () => get<SearchResult>(`/search${qs({ q, limit: 20 })}`),
    enabled: q.length > 0,
  });
  const d = r.data;
  return (
    <Stack p="md" gap="lg">
      <Title order={1} size="h3">
        {t("search.resultsFor", { q })}
      </Title>
      {r.isPending && q && <Text role="status">{t("common.loading")}</Text>}
      {d && (
        <Stack gap="lg" data-testid="search-groups" data-order={d.groups.join(",")}>
          {d.groups.map((group) => {
            switch (group) {
              case "tickets":
                return (
                  <Section key="tickets" title={t("search.tickets")} count={d.tickets.length}>
                    {d.tickets.map((tk) => (
                      <Paper component="li" key={tk.id} withBorder p="xs">
                        <Group justify="space-between">
                          <Anchor component={Link} to={`/tickets/${tk.id}`}>
                            #{tk.number} {tk.subject}
                          </Anchor>
                          <Group gap="xs">
                            <StatusBadge status={tk.status} />
                            <Text size="xs" c="dimmed">
                              {tk.requester.name} · {formatDate(tk.updatedAt)}
                            </Text>
                          </Group>
                        </Group>
                      </Paper>
                    ))}
                  </Section>
                );
              case "messages":
                return (
                  <Section key="messages" title={t("search.messages")} count={d.messages.length}>
                    {d.messages.map((m) => (
                      <Paper
                        component="li"
                        key={m.id}
                        withBorder
                        p="xs"
                        className={m.internal ? "note" : undefined}
                      >
                        <Anchor component={Link} to={`/tickets/${m.ticketId}`}>
                          #{m.ticketNumber} {m.ticketSubject}
                        </Anchor>
                        <Text size="sm">{m.snippet}</Text>
                        <Text size="xs" c="dimmed">
                          {m.internal ? `${t("ticket.internalNote")} · ` : ""}
                          {formatDate(m.createdAt)}
                        </Text>
                      </Paper>
                    ))}
                  </Section>
                );
              default:
                return (
                  <Section key="contacts" title={t("search.contacts")} count={d.contacts.length}>
                    {d.contacts.map((c) => (
                      <Paper component="li" key={c.id} withBorder p="xs">
                        <Anchor component={Link} to={`/contacts/${c.id}`} fw={600} size="sm">
                          {c.name || "—"}
                        </Anchor>
                        <Text size="xs" c="dimmed">
                          {[c.emails[0]?.email, c.organization?.name].filter(Boolean).join(" · ")}
                        </Text>
                      </Paper>
                    ))}
                  </Section>
                );
            }
          })}
        </Stack>
      )}
    </Stack>
  );
}
