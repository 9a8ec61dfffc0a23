import {
  Alert,
  Badge,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import type { RecognitionBoard } from "@rapport/server/contract";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { formatDuration, formatNumber, formatPercent } from "../../lib/format.ts";
import { useMe } from "../auth/session.ts";
import { useTeams } from "../teams/api.ts";
import { useAwards, useBoard, useMyTrend } from "./api.ts";

const thisMonth = () => new Date().toISOString().slice(0, 7);

function useMonthName() {
  const { i18n } = useTranslation();
  return (month: string) =>
    new Intl.DateTimeFormat(i18n.language, { month: "long", year: "numeric", timeZone: "UTC" }).format(
      new Date(`${month}-01T12:00:00Z`),
    );
}

function BoardTable({ board }: { board: RecognitionBoard }) {
  const { t } = useTranslation();
  const own = board.visibility === "own";
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped data-testid="recognition-board">
        <Table.Thead>
          <Table.Tr>
            {!own && <Table.Th>{t("recognition.rank")}</Table.Th>}
            <Table.Th>{t("recognition.agent")}</Table.Th>
            <Table.Th>{t("recognition.score")}</Table.Th>
            <Table.Th>{t("recognition.csat")}</Table.Th>
            <Table.Th>{t("recognition.firstResponse")}</Table.Th>
            <Table.Th>{t("recognition.resolution")}</Table.Th>
            <Table.Th>{t("recognition.promises")}</Table.Th>
            <Table.Th>{t("recognition.reopened")}</Table.Th>
            <Table.Th>{t("recognition.solved")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {board.items.map((r) => (
            <Table.Tr key={r.agent.id}>
              {!own && <Table.Td>{r.rank === null ? "–" : formatNumber(r.rank)}</Table.Td>}
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  {r.agent.name}
                  {r.rank === 1 && (
                    <Badge color="orange.9" variant="filled" size="sm">
                      {t("recognition.first")}
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>{r.score === null ? t("recognition.notRanked") : formatNumber(r.score)}</Table.Td>
              <Table.Td>{formatPercent(r.figures.csatRate)}</Table.Td>
              <Table.Td>{formatPercent(r.figures.firstResponseRate)}</Table.Td>
              <Table.Td>{formatDuration(r.figures.resolutionP50)}</Table.Td>
              <Table.Td>{formatPercent(r.figures.promiseRate)}</Table.Td>
              <Table.Td>{formatNumber(r.figures.reopened)}</Table.Td>
              <Table.Td>{formatNumber(r.figures.solved)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/**
 * The best agents of the month (issue 16): a team's board for a month, the caller's own trend
 * and awards. Private by default: an agent sees only their own row unless the board is public.
 */
export function RecognitionPage() {
  const { t } = useTranslation();
  const monthName = useMonthName();
  const me = useMe().data;
  const teams = useTeams().data ?? [];
  const [params, setParams] = useSearchParams();
  const above = me?.user.role === "admin" || me?.user.role === "manager";
  const mine = above ? teams : teams.filter((tm) => me?.user.teamIds.includes(tm.id));
  const teamId = params.get("team") ?? mine[0]?.id ?? null;
  const month = params.get("month") ?? thisMonth();
  const set = (k: string, v: string | null) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  useEffect(() => {
    if (!params.get("team") && mine[0]) set("team", mine[0].id);
  });
  const board = useBoard(teamId, month);
  const trend = useMyTrend(teamId);
  const awards = useAwards(me?.user.id);
  const b = board.data;
  return (
    <Stack p="md" gap="md">
      <Title order={2}>{t("recognition.title")}</Title>
      <Text size="sm" c="dimmed">
        {t("recognition.intro")}
      </Text>
      <Group gap="xs" align="end" wrap="wrap">
        <Select
          label={t("recognition.team")}
          data={mine.map((tm) => ({ value: tm.id, label: tm.name }))}
          value={teamId}
          onChange={(v) => set("team", v)}
          allowDeselect={false}
        />
        <TextInput
          type="month"
          label={t("recognition.month")}
          value={month}
          onChange={(e) => e.currentTarget.value && set("month", e.currentTarget.value)}
        />
      </Group>
      {mine.length === 0 && <Alert color="gray">{t("recognition.noTeam")}</Alert>}
      {board.error && <Alert color="red">{board.error.message}</Alert>}
      {b && !b.settings.enabled && <Alert color="gray">{t("recognition.off")}</Alert>}
      {b?.settings.enabled && (
        <>
          <Title order={3} size="h4">
            {t("recognition.boardTitle", { team: b.team.name, month: monthName(b.month) })}
          </Title>
          {b.visibility === "own" && <Text size="sm">{t("recognition.private")}</Text>}
          {b.winners.length > 0 && (
            <Paper withBorder p="sm" data-testid="recognition-winners">
              <Text fw={600}>{t("recognition.winners")}</Text>
              <Group gap="xs" mt={4}>
                {b.winners.map((w) => (
                  <Badge key={w.agent.id} color="orange.9" variant="filled" size="lg">
                    {w.agent.name} · {formatNumber(w.score)}
                  </Badge>
                ))}
              </Group>
            </Paper>
          )}
          {b.items.length === 0 ? <Text c="dimmed">{t("recognition.empty")}</Text> : <BoardTable board={b} />}
          <Text size="xs" c="dimmed">
            {t("recognition.how", { min: b.settings.minSolved })}
          </Text>
        </>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Paper withBorder p="sm">
          <Title order={3} size="h4">
            {t("recognition.myTrend")}
          </Title>
          <Table data-testid="recognition-trend">
            <Table.Tbody>
              {(trend.data ?? []).map((r) => (
                <Table.Tr key={r.month}>
                  <Table.Td>{monthName(r.month)}</Table.Td>
                  <Table.Td>{r.score === null ? t("recognition.notRanked") : formatNumber(r.score)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {trend.data?.length === 0 && <Text c="dimmed">{t("recognition.empty")}</Text>}
        </Paper>
        <Paper withBorder p="sm">
          <Title order={3} size="h4">
            {t("recognition.myAwards")}
          </Title>
          <Stack gap={4} mt={4} data-testid="recognition-awards">
            {(awards.data ?? []).map((a) => (
              <Text key={`${a.month}-${a.team.id}`}>
                {t("recognition.award", { month: monthName(a.month), team: a.team.name })}
              </Text>
            ))}
            {awards.data?.length === 0 && <Text c="dimmed">{t("recognition.noAwards")}</Text>}
          </Stack>
        </Paper>
      </SimpleGrid>
    </Stack>
  );
}
