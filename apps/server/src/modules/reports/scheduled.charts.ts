import fs from "node:fs";
import { Resvg } from "@resvg/resvg-js";
import * as echarts from "echarts";

/**
 * Charts of a scheduled report as PNG images, drawn on the server without a browser: ECharts
 * renders SVG (its server-side mode), resvg turns it into a PNG with the machine's fonts
 * (fonts-noto-core: Noto Sans, Noto Sans Khmer, Noto Sans Tamil).
 *
 * resvg takes one font family per text run and does not fall back glyph by glyph, so each text
 * of the SVG is cut into runs by script (Khmer, Tamil, the rest) and every run names the font
 * that has its glyphs: a Tamil title with "API" in it renders both.
 */

const FONT_DIR = "/usr/share/fonts/truetype/noto";
const FONTS = [
  "NotoSans-Regular.ttf",
  "NotoSans-Bold.ttf",
  "NotoSansKhmer-Regular.ttf",
  "NotoSansKhmer-Bold.ttf",
  "NotoSansTamil-Regular.ttf",
  "NotoSansTamil-Bold.ttf",
]
  .map((f) => `${FONT_DIR}/${f}`)
  .filter((f) => fs.existsSync(f));

const LATIN = "Noto Sans";
const familyOf = (ch: string): string => {
  const c = ch.codePointAt(0) ?? 0;
  if ((c >= 0x1780 && c <= 0x17ff) || (c >= 0x19e0 && c <= 0x19ff)) return "Noto Sans Khmer";
  if (c >= 0x0b80 && c <= 0x0bff) return "Noto Sans Tamil";
  return LATIN;
};

/** Cuts a text into runs of one font family; spaces and punctuation join the run they are in. */
export function scriptRuns(text: string): Array<{ family: string; text: string }> {
  const runs: Array<{ family: string; text: string }> = [];
  for (const ch of text) {
    const neutral = /[\s\d.,:;%()\-–/+]/.test(ch);
    const last = runs[runs.length - 1];
    const family = neutral && last ? last.family : familyOf(ch);
    if (last && last.family === family) last.text += ch;
    else runs.push({ family, text: ch });
  }
  return runs;
}

/** Every `<text>` of the SVG with one `<tspan>` per script run. */
export function withScriptFonts(svg: string): string {
  return svg.replace(/(<text\b[^>]*>)([^<]*)(<\/text>)/g, (_m, open: string, body: string, close: string) => {
    const runs = scriptRuns(body);
    if (runs.length === 1 && runs[0]?.family === LATIN) return `${open}${body}${close}`;
    const spans = runs.map((r) => `<tspan font-family="${r.family}">${r.text}</tspan>`).join("");
    return `${open.replace(/font-family:[^;"]*;?/, "")}${spans}${close}`;
  });
}

export function svgToPng(svg: string): Buffer {
  const r = new Resvg(withScriptFonts(svg), {
    background: "#ffffff",
    font: { loadSystemFonts: false, fontFiles: FONTS, defaultFontFamily: LATIN },
  });
  return r.render().asPng();
}

const SIZE = { width: 640, height: 300 };

/** One ECharts option to a PNG (no animation, server-side SVG renderer). */
export function chartPng(option: echarts.EChartsCoreOption): Buffer {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, ...SIZE });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: LATIN }, ...option });
    return svgToPng(chart.renderToSVGString());
  } finally {
    chart.dispose();
  }
}

/** New and solved tickets per day: two bar series (titles are the email's headings, not drawn). */
export function trendChart(days: string[], series: Array<{ name: string; data: number[] }>) {
  return chartPng({
    legend: { bottom: 0 },
    grid: { left: 40, right: 20, top: 20, bottom: 50 },
    xAxis: { type: "category", data: days },
    yAxis: { type: "value", minInterval: 1 },
    color: ["#1c7ed6", "#2f9e44"],
    series: series.map((s) => ({ type: "bar", name: s.name, data: s.data })),
  });
}

/** A horizontal bar per category (new tickets by channel). */
export function barsChart(items: Array<{ label: string; value: number }>) {
  return chartPng({
    grid: { left: 110, right: 40, top: 20, bottom: 30 },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: items.map((i) => i.label), inverse: true },
    color: ["#1c7ed6"],
    series: [{ type: "bar", data: items.map((i) => i.value), label: { show: true, position: "right" } }],
  });
}
