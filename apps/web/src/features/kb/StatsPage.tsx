import { Alert, Anchor, Group, Progress, Select, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { StatCard } from "../../components/kit/index.ts";
import { get, qs } from "../../lib/api.ts";
import { formatNumber } from "../../lib/format.ts";
import { type KbStats, useKbSettings } from "./api.ts";

/** Searched phrases with their language and count (top searches, content gaps). */
function QueryCounts({ rows }: { rows: KbStats["contentGaps"] }) {
  const { t } = useTranslation();
  if (rows.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {t("kb.stats.none")}
      </Text>
    );
  return (
    <Table>
      <Table.Tbody>
        {rows.map((q) => (
          <Table.Tr key={`${q.language}-${q.query}`}>
            <Table.Td lang={q.language}>{q.query}</Table.Td>
            <Table.Td>{q.language}</Table.Td>
            <Table.Td>{q.count}×</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** /kb/stats (managers): views, helpfulness, top searches and content gaps per language. */
export default function StatsPage() {
  const { t } = useTranslation();
  const settings = useKbSettings().data;
  const [days, setDays] = useState("30");
  const [language, setLanguage] = useState<string | null>(null);
  const stats = useQuery({
    queryKey: ["kb", "stats", days, language],
    queryFn: () => get<KbStats>(`/kb/stats${qs({ days, language: language ?? undefined })}`),
  });
  const s = stats.data;
  const lang = (l: string) => t(`kb.lang.${l}`, { defaultValue: l });
  const maxViews = Math.max(1, ...(s?.byLanguage ?? []).map((r) => r.views));
  return (
    <Stack p="md" gap="md">
      <Anchor component={Link} to="/kb" size="sm">
        ← {t("kb.title")}
      </Anchor>
      <Group justify="space-between" wrap="wrap">
        <Title order={1} size="h3">
          {t("kb.stats.title")}
        </Title>
        <Group gap="sm">
          <Select
            label={t("kb.stats.period")}
            data={["7", "30", "90", "365"].map((d) => ({ value: d, label: t("kb.stats.days", { n: d }) }))}
            value={days}
            onChange={(v) => setDays(v ?? "30")}
            allowDeselect={false}
            w={150}
          />
          <Select
            label={t("kb.language")}
            clearable
            data={(settings?.languages ?? []).map((l) => ({ value: l, label: lang(l) }))}
            value={language}
            onChange={setLanguage}
            w={160}
          />
        </Group>
      </Group>
      {stats.error && <Alert color="red">{stats.error.message}</Alert>}
      {s && (
        <>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
            {s.byLanguage.map((r) => {
              const votes = r.yes + r.no;
              return (
                <StatCard key={r.language} label={lang(r.language)} lang={r.language}>
                  <Text size="sm">{t("kb.stats.published", { n: formatNumber(r.published) })}</Text>
                  <Text size="sm">{t("kb.stats.views", { n: formatNumber(r.views) })}</Text>
                  <Progress value={(r.views / maxViews) * 100} aria-hidden mt={4} />
                  <Text size="sm" mt={6}>
                    {votes > 0
                      ? t("kb.stats.helpful", { pct: Math.round((r.yes / votes) * 100), votes })
                      : t("kb.stats.noVotes")}
                  </Text>
                  {votes > 0 && (
                    <Progress.Root aria-hidden mt={4}>
                      <Progress.Section value={(r.yes / votes) * 100} color="green" />
                      <Progress.Section value={(r.no / votes) * 100} color="red" />
                    </Progress.Root>
                  )}
                  <Text size="sm" mt={6}>
                    {t("kb.stats.searchesGaps", { searches: r.searches, gaps: r.gaps })}
                  </Text>
                </StatCard>
              );
            })}
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, lg: 3 }}>
            <Stack gap="xs">
              <Title order={2} size="h5">
                {t("kb.stats.topArticles")}
              </Title>
              <Table.ScrollContainer minWidth={320}>
                <Table>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t("kb.articleTitle")}</Table.Th>
                      <Table.Th>{t("kb.stats.viewsHead")}</Table.Th>
                      <Table.Th>{t("kb.stats.votesHead")}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {s.articles.map((a) => (
                      <Table.Tr key={`${a.id}-${a.language}`}>
                        <Table.Td lang={a.language}>
                          <Link to={`/kb/articles/${a.id}`}>{a.title}</Link>{" "}
                          <Text span size="xs" c="dimmed">
                            {a.language}
                          </Text>
                        </Table.Td>
                        <Table.Td>{formatNumber(a.views)}</Table.Td>
                        <Table.Td>
                          👍 {a.yes} · 👎 {a.no}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Stack>
            <Stack gap="xs">
              <Title order={2} size="h5">
                {t("kb.stats.topSearches")}
              </Title>
              <QueryCounts rows={s.topSearches} />
            </Stack>
            <Stack gap="xs">
              <Title order={2} size="h5">
                {t("kb.stats.gaps")}
              </Title>
              <Text size="xs" c="dimmed">
                {t("kb.stats.gapsHint")}
              </Text>
              <QueryCounts rows={s.contentGaps} />
            </Stack>
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}
