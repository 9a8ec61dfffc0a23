import iconv from "iconv-lite";

/** Encodings an import accepts; `auto` reads a BOM, else UTF-8 (rows with invalid bytes are reported). */
export const IMPORT_ENCODINGS = [
  "auto",
  "utf-8",
  "utf-16le",
  "utf-16be",
  "windows-1258",
  "windows-1252",
] as const;
export type ImportEncoding = (typeof IMPORT_ENCODINGS)[number];

export const csvLimits = {
  /** Largest accepted file. */
  maxBytes: 64 * 1024 * 1024,
  maxColumns: 200,
  maxCellChars: 20_000,
  maxRows: 500_000,
};

export class CsvError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly row?: number,
  ) {
    super(message);
  }
}

/**
 * Bytes to text. A BOM decides (UTF-8, UTF-16 LE/BE); UTF-16 without a BOM is recognised
 * by its NUL bytes; otherwise UTF-8, decoded leniently so rows with invalid bytes can be
 * reported one by one (they carry U+FFFD). Legacy encodings (windows-1258 for Vietnamese,
 * windows-1252) are decoded with iconv-lite when chosen. Binary files are refused.
 */
export function decodeCsv(
  buf: Buffer,
  encoding: ImportEncoding = "auto",
): { text: string; encoding: string } {
  let enc: string = encoding;
  let start = 0;
  if (encoding === "auto" || encoding.startsWith("utf")) {
    if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
      enc = "utf-8";
      start = 3;
    } else if (buf[0] === 0xff && buf[1] === 0xfe) {
      enc = "utf-16le";
      start = 2;
    } else if (buf[0] === 0xfe && buf[1] === 0xff) {
      enc = "utf-16be";
      start = 2;
    } else if (encoding === "auto") {
      const sample = buf.subarray(0, 4096);
      let evenNul = 0;
      let oddNul = 0;
      for (let i = 0; i < sample.length; i++) if (sample[i] === 0) i % 2 ? oddNul++ : evenNul++;
      const half = sample.length / 2;
      if (oddNul > half * 0.3 && evenNul < half * 0.05) enc = "utf-16le";
      else if (evenNul > half * 0.3 && oddNul < half * 0.05) enc = "utf-16be";
      else enc = "utf-8";
    }
  }
  const body = buf.subarray(start);
  let text: string;
  if (enc === "utf-8") text = new TextDecoder("utf-8", { fatal: false }).decode(body);
  else if (enc === "utf-16le") text = new TextDecoder("utf-16le").decode(body);
  else if (enc === "utf-16be") {
    const swapped = Buffer.from(body.subarray(0, body.length - (body.length % 2)));
    text = new TextDecoder("utf-16le").decode(swapped.swap16());
  } else text = iconv.decode(body, enc);
  // Control characters other than tab/CR/LF in the first KB: not a text file.
  const head = text.slice(0, 1024);
  const controls = head.match(/[\u0000-\u0008\u000e-\u001f]/g)?.length ?? 0;
  if (text.includes("\u0000") || controls > 4)
    throw new CsvError("binary_file", "This is not a CSV text file (it contains binary data)");
  return { text, encoding: enc };
}

/** The delimiter used by the header line: comma, semicolon (European Excel) or tab. */
export function detectDelimiter(text: string): string {
  const line = text.slice(0, Math.max(0, text.indexOf("\n")) || 4096);
  let best = ",";
  let bestN = -1;
  for (const d of [",", ";", "\t"]) {
    const n = line.split(d).length;
    if (n > bestN) {
      best = d;
      bestN = n;
    }
  }
  return best;
}

/**
 * RFC 4180 records: quoted cells may hold delimiters, quotes ("") and line breaks; CRLF,
 * LF or CR end a record. Yields each record with the line it starts on (1-based).
 * Limits (columns, cell size, rows) raise CsvError with the row.
 */
export function* parseCsv(
  text: string,
  delimiter = detectDelimiter(text),
): Generator<{ line: number; cells: string[] }> {
  const n = text.length;
  const d = delimiter.charCodeAt(0);
  let i = 0;
  let line = 1;
  let rows = 0;
  while (i < n) {
    const startLine = line;
    const cells: string[] = [];
    for (;;) {
      let cell: string;
      if (text.charCodeAt(i) === 34) {
        // Quoted cell.
        i++;
        let out = "";
        let from = i;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0) throw new CsvError("unterminated_quote", "A quoted cell is never closed", startLine);
          if (text.charCodeAt(q + 1) === 34) {
            out += text.slice(from, q + 1);
            i = q + 2;
            from = i;
            continue;
          }
          out += text.slice(from, q);
          i = q + 1;
          break;
        }
        for (let k = 0; k < out.length; k++) if (out.charCodeAt(k) === 10) line++;
        // Anything between the closing quote and the delimiter is kept (lenient, like Excel).
        let j = i;
        while (j < n && text.charCodeAt(j) !== d && text.charCodeAt(j) !== 10 && text.charCodeAt(j) !== 13)
          j++;
        cell = out + text.slice(i, j);
        i = j;
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === d || c === 10 || c === 13) break;
          j++;
        }
        cell = text.slice(i, j);
        i = j;
      }
      if (cell.length > csvLimits.maxCellChars)
        throw new CsvError(
          "cell_too_long",
          `A cell is longer than ${csvLimits.maxCellChars} characters`,
          startLine,
        );
      cells.push(cell);
      if (cells.length > csvLimits.maxColumns)
        throw new CsvError("too_many_columns", `More than ${csvLimits.maxColumns} columns`, startLine);
      const c = text.charCodeAt(i);
      if (c === d) {
        i++;
        continue;
      }
      if (c === 13) i += text.charCodeAt(i + 1) === 10 ? 2 : 1;
      else if (c === 10) i++;
      line++;
      break;
    }
    // Blank lines are skipped.
    if (cells.length === 1 && cells[0] === "") continue;
    rows++;
    if (rows > csvLimits.maxRows)
      throw new CsvError("too_many_rows", `More than ${csvLimits.maxRows} rows`, startLine);
    yield { line: startLine, cells };
  }
}

/**
 * One CSV cell: quoted when it holds a delimiter, quote or line break, and prefixed with
 * an apostrophe when it starts like a spreadsheet formula (= + - @, tab, CR), so opening
 * an export in Excel or LibreOffice never runs a formula a customer typed.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let s = Array.isArray(value) ? value.join(";") : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  if (/[",\r\n;]/.test(s) || s !== s.trim()) return `"${s.replace(/"/g, '""')}"`;
  return s;
}

export const csvLine = (cells: unknown[]) => `${cells.map(csvCell).join(",")}\r\n`;
