import {
  Alert,
  Anchor,
  Button,
  Drawer,
  Group,
  Loader,
  Progress,
  ScrollArea,
  Table,
  Text,
} from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { formatDateTime, formatDuration, formatNumber } from "../../lib/format.ts";
import {
  type DrillPoint,
  type DrillTicket,
  fetchDrillPage,
  type ReportFilters,
  useDrilldown,
} from "./api.ts";
import { downloadCsv, fileName } from "./exports.ts";

/** Pages fetched for the CSV of a drill-down before it stops (500 tickets a page). */
const MAX_EXPORT_PAGES = 200;

/** The tickets behind a chart point, with their timings; CSV of all of them, with progress. */
export function DrillDrawer({
  filters,
  drill,
  onClose,
}: {
  filters: ReportFilters;
  drill: { point: DrillPoint; title: string } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const phone = useMediaQuery("(max-width: 48em)");
  const q = useDrilldown(filters, drill?.point ?? null);
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  const [exporting, setExporting] = useState<number | null>(null);
  const [exportError, setExportError] = useState(false);

  const exportCsv = async () => {
    if (!drill) return;
    setExportError(false);
    setExporting(0);
    try {
      const all: DrillTicket[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < MAX_EXPORT_PAGES; i++) {
        const page = await fetchDrillPage(filters, drill.point, cursor, 500);
        all.push(...page.items);
        setExporting(all.length);
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      downloadCsv(
        fileName(`tickets ${drill.title}`, filters.from, filters.to, "csv"),
        [
          t("reports.col.number"),
          t("reports.col.subject"),
          t("reports.col.channel"),
          t("reports.col.status"),
          t("reports.col.priority"),
          t("reports.team"),
          t("reports.col.agent"),
          t("reports.col.createdAt"),
          t("reports.col.firstResponseAt"),
          t("reports.col.solvedAt"),
          t("reports.col.firstResponseSeconds"),
          t("reports.col.resolutionSeconds"),
        ],
        all.map((r) => [
          r.number,
          r.subject,
          r.channel,
          r.status,
          r.priority,
          r.team,
          r.assignee,
          r.createdAt,
          r.firstResponseAt,
          r.solvedAt,
          r.firstResponseSeconds === null ? null : Math.round(r.firstResponseSeconds),
          r.resolutionSeconds === null ? null : Math.round(r.resolutionSeconds),
        ]),
      );
    } catch {
      setExportError(true);
    } finally {
      setExporting(null);
    }
  };

  return (
    <Drawer
      opened={drill !== null}
      onClose={onClose}
      position="right"
      size={phone ? "100%" : "xl"}
      title={drill ? t("reports.drill.title", { point: drill.title }) : ""}
      closeButtonProps={{ "aria-label": t("common.close") }}
      data-testid="drilldown"
    >
      <Group justify="space-between" mb="sm">
        <Text size="sm" c="dimmed" data-testid="drill-count">
          {q.isPending
            ? t("reports.loading")
            : t("reports.drill.count", { count: items.length, more: q.hasNextPage ? "+" : "" })}
        </Text>
        <Button
          size="xs"
          variant="default"
          onClick={exportCsv}
          loading={exporting !== null}
          disabled={items.length === 0}
        >
          {t("reports.csv")}
        </Button>
      </Group>
      {exporting !== null && (
        <Progress
          value={100}
          animated
          mb="sm"
          aria-label={t("reports.drill.exporting", { count: exporting })}
        />
      )}
      {exporting !== null && (
        <Text size="xs" c="dimmed" mb="sm">
          {t("reports.drill.exporting", { count: exporting })}
        </Text>
      )}
      {exportError && <Alert color="red">{t("reports.error")}</Alert>}
      {q.isError && <Alert color="red">{t("reports.error")}</Alert>}
      {q.isPending && drill ? (
        <Loader size="sm" aria-label={t("reports.loading")} />
      ) : (
        <ScrollArea type="auto">
          <Table striped fz="sm" miw={640} data-testid="drill-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("reports.col.number")}</Table.Th>
                <Table.Th>{t("reports.col.subject")}</Table.Th>
                <Table.Th>{t("reports.col.agent")}</Table.Th>
                <Table.Th>{t("reports.col.createdAt")}</Table.Th>
                <Table.Th>{t("reports.figures.firstResponseP50")}</Table.Th>
                <Table.Th>{t("reports.col.resolution")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/tickets/${r.id}`}>
                      #{formatNumber(r.number)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{r.subject}</Table.Td>
                  <Table.Td>{r.assignee ?? "–"}</Table.Td>
                  <Table.Td>{formatDateTime(r.createdAt)}</Table.Td>
                  <Table.Td>{formatDuration(r.firstResponseSeconds)}</Table.Td>
                  <Table.Td>{formatDuration(r.resolutionSeconds)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
      {q.hasNextPage && (
        <Group justify="center" mt="sm">
          <Button variant="light" size="xs" onClick={() => q.fetchNextPage()} loading={q.isFetchingNextPage}>
            {t("reports.drill.more")}
          </Button>
        </Group>
      )}
    </Drawer>
  );
}
