/**
 * Exports of the dashboard: CSV of any table (every chart's numbers, the agents, a drill-down)
 * and PNG of a chart. CSV follows RFC 4180 with a UTF-8 byte-order mark, so spreadsheets read
 * Khmer and Tamil; a cell that a spreadsheet would run as a formula (= + - @, tab, CR) gets a
 * leading apostrophe, so a ticket subject cannot become a formula in the manager's spreadsheet.
 */
export type CsvCell = string | number | boolean | null | undefined;

function cell(v: CsvCell): string {
  if (v === null || v === undefined) return "";
  let s = typeof v === "number" ? (Number.isFinite(v) ? String(v) : "") : String(v);
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function toCsv(header: string[], rows: CsvCell[][]): string {
  return `\uFEFF${[header, ...rows].map((r) => r.map(cell).join(",")).join("\r\n")}\r\n`;
}

/** A file name from the report's name and period: `reports-heatmap-2026-11-01-2026-11-30.csv`. */
export function fileName(name: string, from: string, to: string, ext: "csv" | "png"): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return `reports-${slug}-${from.slice(0, 10)}-${to.slice(0, 10)}.${ext}`;
}

export function download(name: string, href: string) {
  const a = document.createElement("a");
  a.href = href;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
}

export function downloadCsv(name: string, header: string[], rows: CsvCell[][]) {
  const url = URL.createObjectURL(new Blob([toCsv(header, rows)], { type: "text/csv;charset=utf-8" }));
  download(name, url);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
