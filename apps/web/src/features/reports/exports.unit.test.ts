import { describe, expect, it } from "vitest";
import { fileName, toCsv } from "./exports.ts";

describe("toCsv", () => {
  it("quotes separators, quotes and line breaks, keeps Khmer and Tamil, starts with a BOM", () => {
    const csv = toCsv(
      ["ticket", "subject", "hours"],
      [
        [1, 'He said "hi", then left', 1.5],
        [2, "line one\nline two", null],
        [3, "សួស្តី · வணக்கம்", 0],
      ],
    );
    expect(csv).toBe(
      '\uFEFFticket,subject,hours\r\n1,"He said ""hi"", then left",1.5\r\n2,"line one\nline two",\r\n3,សួស្តី · வணக்கம்,0\r\n',
    );
  });

  it("defuses cells a spreadsheet would run as formulas", () => {
    const csv = toCsv(["subject"], [['=HYPERLINK("http://x")'], ["+1"], ["-2"], ["@SUM(A1)"], ["ok"]]);
    expect(csv.split("\r\n").slice(1, 6)).toEqual([
      `"'=HYPERLINK(""http://x"")"`,
      "'+1",
      "'-2",
      "'@SUM(A1)",
      "ok",
    ]);
  });

  it("writes numbers as numbers, even negative ones, and drops non-finite ones", () => {
    expect(toCsv(["n"], [[-3], [Number.NaN], [Number.POSITIVE_INFINITY]])).toBe("\uFEFFn\r\n-3\r\n\r\n\r\n");
  });
});

describe("fileName", () => {
  it("names the report and its period", () => {
    expect(fileName("Peak hours", "2026-11-01T00:00:00Z", "2026-11-30T12:00:00Z", "png")).toBe(
      "reports-peak-hours-2026-11-01-2026-11-30.png",
    );
  });
});
