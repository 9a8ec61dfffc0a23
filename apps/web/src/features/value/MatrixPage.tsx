import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  Progress,
  ScrollArea,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
  UnstyledButton,
} from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { formatDate, formatNumber } from "../../lib/format.ts";
import { formatMoney } from "../promises/api.ts";
import {
  type CustomerFilter,
  customersCsvUrl,
  type Matrix,
  SEGMENT_COLORS,
  SEGMENTS,
  useMatrix,
  useValueCustomers,
} from "./api.ts";
import { SegmentBadge } from "./ValuePanels.tsx";

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

function Grid({
  m,
  filter,
  onPick,
}: {
  m: Matrix;
  filter: CustomerFilter;
  onPick: (f: CustomerFilter) => void;
}) {
  const { t } = useTranslation();
  const max = Math.max(1, ...m.cells.map((c) => c.customers));
  const at = (r: number, f: number) => m.cells.find((c) => c.r === r && c.f === f)?.customers ?? 0;
  return (
    <Table withTableBorder withColumnBorders ta="center" data-testid="rfm-grid" miw={360}>
      <Table.Caption>{t("value.matrix.gridCaption")}</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t("value.matrix.rf")}</Table.Th>
          {[1, 2, 3, 4, 5].map((f) => (
            <Table.Th key={f}>F{f}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {[5, 4, 3, 2, 1].map((r) => (
          <Table.Tr key={r}>
            <Table.Th>R{r}</Table.Th>
            {[1, 2, 3, 4, 5].map((f) => {
              const n = at(r, f);
              const picked = filter.r === r && filter.f === f;
              return (
                <Table.Td
                  key={f}
                  p={0}
                  style={{ background: `rgba(18, 184, 134, ${(0.08 + (0.6 * n) / max).toFixed(2)})` }}
                >
                  <UnstyledButton
                    w="100%"
                    p="xs"
                    onClick={() => onPick({ r, f })}
                    aria-label={t("value.matrix.cellLabel", { r, f, count: n })}
                    aria-pressed={picked}
                    data-testid={`cell-${r}-${f}`}
                    style={{ outline: picked ? "2px solid var(--mantine-color-teal-8)" : undefined }}
                  >
                    <Text fw={600}>{formatNumber(n)}</Text>
                  </UnstyledButton>
                </Table.Td>
              );
            })}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Trend({ m }: { m: Matrix }) {
  const { t } = useTranslation();
  const quarters = [...new Set(m.trend.map((x) => x.quarter))].slice(-4);
  if (quarters.length === 0) return <Text c="dimmed">{t("value.matrix.noTrend")}</Text>;
  const count = (q: string, s: string) =>
    m.trend.find((x) => x.quarter === q && x.segment === s)?.customers ?? 0;
  return (
    <ScrollArea>
      <Table data-testid="segment-trend" miw={420}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("value.matrix.segment")}</Table.Th>
            {quarters.map((q) => (
              <Table.Th key={q}>{q}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {SEGMENTS.filter((s) => s !== "no_purchase").map((s) => (
            <Table.Tr key={s}>
              <Table.Td>{t(`value.segment.${s}`)}</Table.Td>
              {quarters.map((q, i) => {
                const n = count(q, s);
                const prev = i > 0 ? count(quarters[i - 1] as string, s) : null;
                const arrow = prev === null || prev === n ? "" : n > prev ? " ↑" : " ↓";
                return (
                  <Table.Td key={q}>
                    {formatNumber(n)}
                    {arrow}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}

function Customers({ filter, currency }: { filter: CustomerFilter; currency: string }) {
  const { t, i18n } = useTranslation();
  const [cursors, setCursors] = useState<string[]>([]);
  const q = useValueCustomers(filter, cursors.at(-1));
  const title = filter.segment
    ? t(`value.segment.${filter.segment}`)
    : filter.r
      ? t("value.matrix.cellTitle", { r: filter.r, f: filter.f })
      : t("value.matrix.allCustomers");
  return (
    <Paper withBorder p="md" data-testid="customer-list">
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Title order={3}>{title}</Title>
        <Button component="a" href={customersCsvUrl(filter)} variant="default" size="xs" download>
          {t("value.matrix.exportCsv")}
        </Button>
      </Group>
      {q.isLoading ? (
        <Loader size="sm" />
      ) : (
        <ScrollArea>
          <Table striped miw={640}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("value.matrix.customer")}</Table.Th>
                <Table.Th>{t("value.matrix.segment")}</Table.Th>
                <Table.Th>{t("value.rfm")}</Table.Th>
                <Table.Th>{t("value.daysSince")}</Table.Th>
                <Table.Th>{t("value.monetary")}</Table.Th>
                <Table.Th>{t("value.nextReminder")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(q.data?.items ?? []).map((c) => (
                <Table.Tr key={c.contactId}>
                  <Table.Td>
                    <Anchor component={Link} to={`/contacts/${c.contactId}`} size="sm">
                      {c.name || c.email || c.contactId}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <SegmentBadge value={c} />
                  </Table.Td>
                  <Table.Td>{`${c.r ?? "–"} · ${c.f ?? "–"} · ${c.m ?? "–"}`}</Table.Td>
                  <Table.Td>{c.daysSinceLastPurchase ?? "–"}</Table.Td>
                  <Table.Td>{formatMoney(c.monetaryMinor, currency, i18n.language)}</Table.Td>
                  <Table.Td>{c.nextReminderAt ? formatDate(c.nextReminderAt) : "–"}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
      <Group mt="sm" gap="xs">
        {cursors.length > 0 && (
          <Button size="xs" variant="default" onClick={() => setCursors((c) => c.slice(0, -1))}>
            {t("value.matrix.previous")}
          </Button>
        )}
        {q.data?.nextCursor && (
          <Button
            size="xs"
            variant="default"
            onClick={() => setCursors((c) => [...c, q.data?.nextCursor as string])}
          >
            {t("value.matrix.next")}
          </Button>
        )}
      </Group>
    </Paper>
  );
}

/** The activity matrix: R × F grid, segments with their trend, never-returned share, customer lists. */
export function MatrixPage() {
  const { t } = useTranslation();
  const q = useMatrix();
  const [filter, setFilter] = useState<CustomerFilter>({});
  if (q.isLoading) return <Loader />;
  if (q.error || !q.data) return <Alert color="gray">{t("value.matrix.managersOnly")}</Alert>;
  const m = q.data;
  const over = m.neverReturnedShare > m.planningAssumption;
  return (
    <Stack p="md" gap="md" data-testid="matrix-page">
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{t("value.matrix.title")}</Title>
        <Text size="sm" c="dimmed">
          {m.recomputedAt
            ? t("value.matrix.recomputed", { date: formatDate(m.recomputedAt), months: m.windowMonths })
            : t("value.matrix.notRecomputed")}
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        <Paper withBorder p="md">
          <Text size="xs" c="dimmed">
            {t("value.matrix.customers")}
          </Text>
          <Text fz="xl" fw={700}>
            {formatNumber(m.customers)}
          </Text>
        </Paper>
        <Paper withBorder p="md" data-testid="never-returned">
          <Text size="xs" c="dimmed">
            {t("value.matrix.neverReturned")}
          </Text>
          <Text fz="xl" fw={700} c={over ? "red.8" : undefined}>
            {pct(m.neverReturnedShare)}
          </Text>
          <Progress value={m.neverReturnedShare * 100} color={over ? "red" : "teal"} aria-hidden />
          <Text size="xs" c="dimmed">
            {t("value.matrix.assumption", { share: pct(m.planningAssumption) })}
          </Text>
        </Paper>
        <Paper withBorder p="md">
          <Text size="xs" c="dimmed">
            {t("value.matrix.orgInterval")}
          </Text>
          <Text fz="xl" fw={700}>
            {formatNumber(Math.round(m.orgIntervalDays))}
          </Text>
        </Paper>
        <Paper withBorder p="md" data-testid="reminder-report">
          <Text size="xs" c="dimmed">
            {t("value.matrix.reminders")}
          </Text>
          <Text fz="xl" fw={700}>
            {t("value.matrix.remindersConverted", {
              converted: formatNumber(m.reminders.converted),
              sent: formatNumber(m.reminders.sent),
            })}
          </Text>
          <Progress
            value={m.reminders.sent === 0 ? 0 : (m.reminders.converted / m.reminders.sent) * 100}
            color="teal"
            aria-hidden
          />
        </Paper>
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Paper withBorder p="md">
          <Title order={3} mb="sm">
            {t("value.matrix.grid")}
          </Title>
          <ScrollArea>
            <Grid m={m} filter={filter} onPick={setFilter} />
          </ScrollArea>
        </Paper>
        <Paper withBorder p="md">
          <Title order={3} mb="sm">
            {t("value.matrix.segments")}
          </Title>
          <Stack gap={6} data-testid="segment-counts">
            {SEGMENTS.filter((s) => s !== "no_purchase").map((s) => {
              const n = m.segments.find((x) => x.segment === s)?.customers ?? 0;
              return (
                <UnstyledButton
                  key={s}
                  onClick={() => setFilter({ segment: s })}
                  aria-pressed={filter.segment === s}
                  data-testid={`segment-${s}`}
                >
                  <Group justify="space-between">
                    <Badge color={SEGMENT_COLORS[s]} variant={filter.segment === s ? "filled" : "light"}>
                      {t(`value.segment.${s}`)}
                    </Badge>
                    <Text fw={600}>{formatNumber(n)}</Text>
                  </Group>
                </UnstyledButton>
              );
            })}
          </Stack>
          <Title order={4} mt="md" mb="xs">
            {t("value.matrix.trend")}
          </Title>
          <Trend m={m} />
        </Paper>
      </SimpleGrid>
      <Customers key={JSON.stringify(filter)} filter={filter} currency={m.baseCurrency} />
    </Stack>
  );
}
