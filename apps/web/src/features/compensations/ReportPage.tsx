import { Group, Progress, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { formatMoney } from "../promises/api.ts";
import { useReport } from "./api.ts";

const thisMonth = () => new Date().toISOString().slice(0, 7);

/** Compensation by month, agent, team, kind and currency against limits; approval turnaround. */
export function ReportPage() {
  const { t, i18n } = useTranslation();
  const [from, setFrom] = useState(thisMonth);
  const [to, setTo] = useState(thisMonth);
  const q = useReport(from, to);
  const money = (m: number, c: string) => formatMoney(m, c, i18n.language);
  return (
    <Stack p="md" gap="md">
      <Title order={2}>{t("compensations.reportTitle")}</Title>
      <Group gap="xs">
        <TextInput
          type="month"
          label={t("compensations.from")}
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
        />
        <TextInput
          type="month"
          label={t("compensations.to")}
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
        />
      </Group>
      <Table.ScrollContainer minWidth={800}>
        <Table striped data-testid="compensation-report">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("compensations.month")}</Table.Th>
              <Table.Th>{t("compensations.agent")}</Table.Th>
              <Table.Th>{t("compensations.team")}</Table.Th>
              <Table.Th>{t("compensations.kindLabel")}</Table.Th>
              <Table.Th>{t("compensations.selfGranted")}</Table.Th>
              <Table.Th>{t("compensations.approved")}</Table.Th>
              <Table.Th>{t("compensations.requests")}</Table.Th>
              <Table.Th>{t("compensations.againstLimit")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(q.data?.rows ?? []).map((r) => {
              const pct = r.perMonthMinor ? Math.min(100, (100 * r.countedMinor) / r.perMonthMinor) : 0;
              return (
                <Table.Tr key={`${r.month}-${r.agent.id}-${r.teamName}-${r.kind}-${r.currency}`}>
                  <Table.Td>{r.month}</Table.Td>
                  <Table.Td>{r.agent.name}</Table.Td>
                  <Table.Td>{r.teamName ?? "—"}</Table.Td>
                  <Table.Td>{t(`compensations.kind.${r.kind}`, { defaultValue: r.kind })}</Table.Td>
                  <Table.Td>{money(r.selfGrantedMinor, r.currency)}</Table.Td>
                  <Table.Td>{money(r.approvedMinor, r.currency)}</Table.Td>
                  <Table.Td>
                    {r.requestedCount} ({t("compensations.rejectedN", { count: r.rejectedCount })})
                  </Table.Td>
                  <Table.Td miw={160}>
                    {r.unlimited ? (
                      t("compensations.unlimitedShort")
                    ) : r.perMonthMinor ? (
                      <Stack gap={2}>
                        <Progress
                          value={pct}
                          color={pct >= 100 ? "red" : pct > 80 ? "yellow" : "blue"}
                          aria-label={`${Math.round(pct)}%`}
                        />
                        <Text size="xs">
                          {money(r.countedMinor, r.currency)} / {money(r.perMonthMinor, r.currency)}
                          {r.limitAnyKind ? ` (${t("compensations.allKinds")})` : ""}
                        </Text>
                      </Stack>
                    ) : (
                      "—"
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {q.data ? (
        <Text size="sm" c="dimmed" data-testid="limits-as-of">
          {t("compensations.limitsAsOf", {
            date: new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium" }).format(
              new Date(q.data.limitsAsOf),
            ),
          })}
        </Text>
      ) : null}
      <Title order={3}>{t("compensations.turnaround")}</Title>
      <Table data-testid="turnaround">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("compensations.month")}</Table.Th>
            <Table.Th>{t("compensations.decided")}</Table.Th>
            <Table.Th>{t("compensations.median")}</Table.Th>
            <Table.Th>{t("compensations.p90")}</Table.Th>
            <Table.Th>{t("compensations.escalated")}</Table.Th>
            <Table.Th>{t("compensations.pending")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(q.data?.turnaround ?? []).map((r) => (
            <Table.Tr key={r.month}>
              <Table.Td>{r.month}</Table.Td>
              <Table.Td>{r.decided}</Table.Td>
              <Table.Td>{r.medianMinutes ?? "—"}</Table.Td>
              <Table.Td>{r.p90Minutes ?? "—"}</Table.Td>
              <Table.Td>{r.escalated}</Table.Td>
              <Table.Td>{r.pending}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
