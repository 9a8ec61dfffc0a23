/**
 * Quote and signature folding: splits an email body into what the sender wrote now
 * and the quoted history / signature below it. Pure functions; the full original is
 * always kept beside the folded body.
 */

/** Attribution lines of the reply styles we fold ("On … wrote:" and its translations). */
const ATTRIBUTION = [
  /^On\b.{0,300}\bwrote:\s*$/is, // Gmail, Apple Mail, Thunderbird (English)
  /^Le\b.{0,300}\ba écrit\s*:\s*$/is,
  /^Am\b.{0,300}\bschrieb\b.{0,200}:\s*$/is,
  /^Vào\b.{0,300}\sđã viết:\s*$/isu, // Gmail Vietnamese
  /^.{0,300}\sđã viết:\s*$/isu,
  /^.{0,300}បានសរសេរ\s*[៖:]\s*$/su, // Gmail Khmer
  /^.{0,300}எழுதியது\s*:\s*$/su, // Gmail Tamil
  /^.{0,300}எழுதினார்\s*:\s*$/su,
];
/** Outlook-style header blocks and separators that start forwarded/quoted history. */
const SEPARATOR = [
  /^-{2,}\s*(Original Message|Tin nhắn gốc|Thư gốc|Forwarded message)\s*-{2,}\s*$/i,
  /^_{20,}\s*$/,
  /^(From|Từ|ពី|அனுப்புநர்)\s*:\s*.+$/iu,
];
const HEADER_FOLLOW = /^(Sent|Date|To|Subject|Đã gửi|Ngày|Gửi|Tới|Chủ đề|Cc)\s*:/iu;

export type Folded = { body: string; quoted: string };

function isAttribution(lines: string[], i: number): number {
  const one = lines[i]?.trim() ?? "";
  if (!one) return 0;
  if (ATTRIBUTION.some((r) => r.test(one))) return 1;
  const two = `${one} ${lines[i + 1]?.trim() ?? ""}`;
  if (ATTRIBUTION.some((r) => r.test(two))) return 2;
  return 0;
}

function isSeparator(lines: string[], i: number): boolean {
  const line = lines[i]?.trim() ?? "";
  if (!SEPARATOR.some((r) => r.test(line))) return false;
  if (/^(From|Từ|ពី|அனுப்புநர்)\s*:/iu.test(line)) {
    // A "From:" line counts only when Outlook's header block follows it.
    return lines.slice(i + 1, i + 4).some((l) => HEADER_FOLLOW.test(l.trim()));
  }
  return true;
}

/** Splits plain text at the first attribution line, Outlook header block, quoted (">") block or signature. */
export function foldText(text: string): Folded {
  const normalized = text.replace(/\r\n?/g, "\n");
  const lines = normalized.split("\n");
  let cut = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (isAttribution(lines, i) || isSeparator(lines, i)) {
      cut = i;
      break;
    }
    if (line === "-- " || line === "--") {
      cut = i;
      break;
    }
    if (/^>/.test(line)) {
      // A run of quoted lines that runs to the end (interleaved replies are kept whole).
      const rest = lines.slice(i).filter((l) => l.trim() !== "");
      if (rest.every((l) => l.startsWith(">"))) {
        cut = i;
        break;
      }
    }
  }
  if (cut <= 0) return { body: normalized.trim(), quoted: "" };
  const body = lines.slice(0, cut).join("\n").trim();
  if (!body) return { body: normalized.trim(), quoted: "" };
  return { body, quoted: lines.slice(cut).join("\n").trim() };
}

/** Markers where mail clients start the quoted part of an HTML reply (matched before sanitizing). */
const HTML_MARKERS = [
  /<div[^>]*class=["']?[^"'>]*gmail_quote/i,
  /<blockquote[^>]*type=["']?cite/i,
  /<div[^>]*class=["']?[^"'>]*moz-cite-prefix/i,
  /<div[^>]*id=["']?(appendonsend|divRplyFwdMsg|mail-editor-reference-message-container)/i,
  /<hr[^>]*id=["']?stopSpelling/i,
  /<div[^>]*style=["'][^"']*border-top:\s*solid\s+#(E1E1E1|B5C4DF)/i,
  /<div[^>]*class=["']?[^"'>]*(yahoo_quoted|OutlookMessageHeader)/i,
  /<div[^>]*class=["']?[^"'>]*(gmail_signature|moz-signature)/i,
];

/** Splits raw (unsanitized) HTML at the first quote marker. The caller sanitizes both parts. */
export function foldHtml(html: string): { body: string; quoted: string } {
  let at = -1;
  for (const marker of HTML_MARKERS) {
    const m = marker.exec(html);
    if (m && (at === -1 || m.index < at)) at = m.index;
  }
  if (at <= 0) return { body: html, quoted: "" };
  return { body: html.slice(0, at), quoted: html.slice(at) };
}

/** Removes a trailing attribution line ("On … wrote:") left at the end of a folded body. */
export function dropTrailingAttribution(text: string): string {
  const lines = text.trimEnd().split("\n");
  for (const n of [1, 2]) {
    const tail = lines.slice(-n).join(" ").trim();
    if (tail && ATTRIBUTION.some((r) => r.test(tail))) return lines.slice(0, -n).join("\n").trimEnd();
  }
  return text.trimEnd();
}
