import { Anchor, Badge, Group, List, Stack, Text, Title } from "@mantine/core";
import type { SeenArticles as SeenArticleList } from "@rapport/server/contract";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useReadableShade } from "../../components/kit/index.ts";
import { get } from "../../lib/api.ts";
import type { Me, Ticket } from "../../lib/types.ts";

/** The help-centre articles suggested to the customer before this ticket; nothing when none. */
export function SeenArticles({ ticket }: { ticket: Ticket; me: Me }) {
  const { t, i18n } = useTranslation();
  const shade = useReadableShade();
  const seen = useQuery({
    queryKey: ["seen-articles", ticket.id],
    queryFn: () => get<SeenArticleList>(`/tickets/${ticket.id}/seen-articles`),
    staleTime: 60_000,
  });
  const items = seen.data?.items ?? [];
  if (items.length === 0) return null;
  const time = (iso: string) =>
    new Intl.DateTimeFormat(i18n.language, { dateStyle: "short", timeStyle: "short" }).format(new Date(iso));
  return (
    <Stack gap="xs" data-testid="seen-articles">
      <Title order={2} size="h6">
        {t("kb.seen.title")}
      </Title>
      <List size="sm" spacing={6} listStyleType="none" pl={0}>
        {items.map((a) => (
          <List.Item key={`${a.articleId}-${a.language}`}>
            <Stack gap={2}>
              {a.url ? (
                <Anchor href={a.url} target="_blank" rel="noopener" size="sm">
                  {a.title}
                </Anchor>
              ) : (
                <Text size="sm">{a.title}</Text>
              )}
              <Group gap={6}>
                <Badge size="xs" variant="outline" color={shade(a.openedAt ? "teal" : "gray")}>
                  {a.openedAt ? t("kb.seen.opened") : t("kb.seen.shown")}
                </Badge>
                <Text size="xs" c="dimmed">
                  {t(`kb.seen.source.${a.source}`)} · {a.language} · {time(a.openedAt ?? a.shownAt)}
                </Text>
              </Group>
            </Stack>
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}
