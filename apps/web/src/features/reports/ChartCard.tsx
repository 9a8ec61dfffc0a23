import { Button, Group, Paper, ScrollArea, Switch, Table, Text, Title, UnstyledButton } from "@mantine/core";
import type { ECharts } from "echarts/core";
import { type ReactNode, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { type CsvCell, download, downloadCsv, fileName } from "./exports.ts";

export type CardData = { header: string[]; rows: CsvCell[][]; display?: ReactNode[][] };

/**
 * A dashboard card: a title, the chart (or, switched, its numbers as a table, where every row
 * drills down like a point does), and the exports: CSV of the numbers, PNG of the chart.
 */
export function ChartCard({
  id,
  title,
  period,
  data,
  chart,
  table,
  onRow,
  loading,
  extra,
}: {
  id: string;
  title: string;
  period: { from: string; to: string };
  data: CardData;
  chart?: (ref: React.RefObject<ECharts | null>) => ReactNode;
  table?: ReactNode;
  onRow?: (index: number) => void;
  loading?: boolean;
  extra?: ReactNode;
}) {
  const { t } = useTranslation();
  const ref = useRef<ECharts | null>(null);
  const [asTable, setAsTable] = useState(!chart);
  const png = () => {
    const url = ref.current?.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#ffffff" });
    if (url) download(fileName(id, period.from, period.to, "png"), url);
  };
  return (
    <Paper withBorder p="md" radius="md" data-testid={`card-${id}`} aria-busy={loading}>
      <Group justify="space-between" align="flex-start" mb="xs" gap="xs">
        <Title order={3} size="h5">
          {title}
        </Title>
        <Group gap="xs" wrap="wrap">
          {extra}
          {chart && (
            <Switch
              size="xs"
              label={t("reports.showTable")}
              checked={asTable}
              onChange={(e) => setAsTable(e.currentTarget.checked)}
            />
          )}
          <Button
            size="compact-xs"
            variant="default"
            onClick={() => downloadCsv(fileName(id, period.from, period.to, "csv"), data.header, data.rows)}
          >
            {t("reports.csv")}
          </Button>
          {chart && !asTable && (
            <Button size="compact-xs" variant="default" onClick={png}>
              {t("reports.png")}
            </Button>
          )}
        </Group>
      </Group>
      {asTable || !chart ? (table ?? <DataTable data={data} onRow={onRow} caption={title} />) : chart(ref)}
    </Paper>
  );
}

export function DataTable({
  data,
  onRow,
  caption,
}: {
  data: CardData;
  onRow?: (index: number) => void;
  caption: string;
}) {
  const { t } = useTranslation();
  const shown = data.display ?? data.rows;
  if (shown.length === 0) return <Text c="dimmed">{t("reports.noData")}</Text>;
  return (
    <ScrollArea.Autosize mah={420} type="auto">
      <Table striped highlightOnHover stickyHeader fz="sm">
        <Table.Caption style={{ captionSide: "top", textAlign: "start" }} className="sr-only">
          {caption}
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            {data.header.map((h) => (
              <Table.Th key={h}>{h}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shown.map((r, i) => (
            <Table.Tr key={String(i)}>
              {r.map((c, j) => (
                <Table.Td key={String(j)}>
                  {j === 0 && onRow ? (
                    <UnstyledButton td="underline" onClick={() => onRow(i)} fz="sm">
                      {c as ReactNode}
                    </UnstyledButton>
                  ) : (
                    (c as ReactNode)
                  )}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}
