import { Table } from "@mantine/core";
import type { ReactNode } from "react";

/** One column of a `DataTable`: its header and how a row fills its cell. */
export type Column<T> = {
  key: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** A header read to screen readers only (the actions column). */
  hiddenHeader?: boolean;
  /** The cell's maximum width (a long error message). */
  maw?: number;
};

/**
 * The admin and list table: a striped, labelled `<table>` whose columns are declared once.
 * `minWidth` puts it in a horizontal scroll container (wide tables on a phone); `rowProps`
 * adds test ids and data attributes to each row.
 */
export function DataTable<T>({
  label,
  columns,
  rows,
  rowKey,
  rowProps,
  minWidth,
  testId,
  highlightOnHover,
}: {
  /** The table's accessible name. */
  label?: string;
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  rowProps?: (row: T) => Record<`data-${string}`, string | number | boolean | undefined>;
  minWidth?: number;
  testId?: string;
  highlightOnHover?: boolean;
}) {
  const table = (
    <Table striped highlightOnHover={highlightOnHover} aria-label={label} data-testid={testId}>
      <Table.Thead>
        <Table.Tr>
          {columns.map((c) => (
            <Table.Th key={c.key}>
              {c.hiddenHeader ? <span className="sr-only">{c.header}</span> : c.header}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={rowKey(row)} {...rowProps?.(row)}>
            {columns.map((c) => (
              <Table.Td key={c.key} maw={c.maw}>
                {c.cell(row)}
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
  return minWidth ? <Table.ScrollContainer minWidth={minWidth}>{table}</Table.ScrollContainer> : table;
}
