import { createRequire } from "node:module";
import iconv from "iconv-lite";
import type { AddressObject, Attachment, ParsedMail } from "mailparser";
import { htmlToText, sanitize } from "../../lib/html.ts";
import { dropTrailingAttribution, foldHtml, foldText } from "./email.quote.ts";

export type Address = { address: string; name: string };

type HtmlToText = (html: string, options?: Record<string, unknown>, metadata?: unknown) => string;

/**
 * mailparser turns an HTML part into text (one beside a text part outside multipart/alternative,
 * or the only body) with html-to-text's `htmlToText`, which compiles a converter (options merged,
 * selectors built into a decision tree) on every call: about 1.2 ms per such email, more than the
 * conversion. Its CommonJS build looks `htmlToText` up on html-to-text's exports object at each
 * call, so this file loads that build and puts there a `htmlToText` that compiles once per
 * nesting limit (mailparser always passes `{ limits: { maxDepth } }` and nothing else) and reuses
 * the converter, as html-to-text's own `compile` is meant to be used. Other option shapes go to
 * the original function: the output is the same either way.
 */
const requireHere = createRequire(import.meta.url);
const requireFromMailparser = createRequire(requireHere.resolve("mailparser"));
const htmlToTextModule = requireFromMailparser("html-to-text") as {
  htmlToText: HtmlToText;
  compile: (options: Record<string, unknown>) => (html: string, metadata?: unknown) => string;
};
const originalHtmlToText = htmlToTextModule.htmlToText;
const converters = new Map<number, (html: string, metadata?: unknown) => string>();
htmlToTextModule.htmlToText = (html, options, metadata) => {
  const keys = options ? Object.keys(options) : [];
  const limits = options?.limits as Record<string, unknown> | undefined;
  const maxDepth = limits?.maxDepth;
  if (
    keys.length !== 1 ||
    keys[0] !== "limits" ||
    typeof maxDepth !== "number" ||
    Object.keys(limits ?? {}).length !== 1
  )
    return originalHtmlToText(html, options, metadata);
  let convert = converters.get(maxDepth);
  if (!convert) {
    convert = htmlToTextModule.compile({ limits: { maxDepth } });
    converters.set(maxDepth, convert);
  }
  return convert(html, metadata);
};
const { simpleParser } = requireHere("mailparser") as typeof import("mailparser");

export type ParsedAttachment = {
  filename: string;
  contentType: string;
  content: Buffer;
  cid: string | null;
  inline: boolean;
};

export type ParsedEmail = {
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  threadIndexRoot: string | null;
  subject: string;
  from: Address | null;
  to: Address[];
  cc: Address[];
  replyTo: Address[];
  date: Date | null;
  /** Sanitized HTML of the whole message (remote images still in place). */
  html: string;
  /** Plain text of the whole message (derived from the HTML when the text part is missing). */
  text: string;
  /** What the sender wrote now, and the quoted history / signature folded away. */
  newText: string;
  newHtml: string;
  quotedText: string;
  attachments: ParsedAttachment[];
  autoSubmitted: boolean;
  fromDaemon: boolean;
  bounce: { originalMessageIds: string[]; reason: string; permanent: boolean } | null;
};

/** Message-IDs as `<id@host>`, lower-cased host-insensitive compare is not RFC; we keep case but trim. */
export function normalizeMessageId(id: string | null | undefined): string | null {
  if (!id) return null;
  const m = /<([^<>\s]{1,900})>/.exec(id) ?? /([^<>\s]{1,900}@[^<>\s]{1,300})/.exec(id);
  return m?.[1] ? `<${m[1]}>` : null;
}

export function messageIdList(v: string | string[] | undefined): string[] {
  const all = (Array.isArray(v) ? v.join(" ") : (v ?? "")).match(/<[^<>\s]{1,900}>/g) ?? [];
  return [...new Set(all)].slice(-100);
}

/** `[#1234]` anywhere in a subject. */
export function subjectTicketNumber(subject: string): number | null {
  const m = /\[#(\d{1,12})\]/.exec(subject);
  return m?.[1] ? Number(m[1]) : null;
}

/** `support+t1234@example.com` -> 1234; the local part without the tag for mailbox matching. */
export function plusAddress(address: string): { base: string; ticketNumber: number | null } {
  const lower = address.trim().toLowerCase();
  const m = /^([^+@]+)\+t(\d{1,12})@(.+)$/.exec(lower);
  if (m?.[1] && m[2] && m[3]) return { base: `${m[1]}@${m[3]}`, ticketNumber: Number(m[2]) };
  const tagged = /^([^+@]+)\+[^@]*@(.+)$/.exec(lower);
  if (tagged?.[1] && tagged[2]) return { base: `${tagged[1]}@${tagged[2]}`, ticketNumber: null };
  return { base: lower, ticketNumber: null };
}

/** Outlook's Thread-Index: the first 22 bytes name the conversation, whatever In-Reply-To says. */
export function threadIndexRoot(value: string | undefined): string | null {
  if (!value) return null;
  try {
    const bytes = Buffer.from(value.trim(), "base64");
    if (bytes.length < 22) return null;
    return `ti:${bytes.subarray(0, 22).toString("base64")}`;
  } catch {
    return null;
  }
}

/** Strips Re:/Fwd:/TR:/Trả lời: prefixes and the ticket token: for display and new-ticket subjects. */
export function cleanSubject(subject: string): string {
  let s = subject.replace(/[\r\n\t]+/g, " ").trim();
  for (;;) {
    const next = s
      .replace(
        /^\s*(re|fw|fwd|tr|aw|wg|sv|vs|trả lời|chuyển tiếp|ตอบ|回复|答复|转发)\s*(\[\d+\])?\s*[:：]\s*/iu,
        "",
      )
      .replace(/\s*\[#\d{1,12}\]\s*/, " ")
      .trim();
    if (next === s) break;
    s = next;
  }
  return s.slice(0, 500);
}

/** PostgreSQL text cannot hold NUL: a =00 in a body would otherwise fail the whole email. */
const noNul = (s: string) => (s.includes("\u0000") ? s.replace(/\u0000/g, "") : s);
/** Names and file names: one line, no control characters. */
const oneLine = (s: string) => s.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();

type HeaderMap = Map<string, unknown>;
const header = (h: HeaderMap, name: string): string => {
  const v = h.get(name);
  if (v == null) return "";
  if (typeof v === "string") return v;
  if (typeof v === "object" && "value" in (v as object)) return String((v as { value: unknown }).value);
  return String(v);
};

/** Auto-replies, bulk mail and vacation responders: never answered automatically. */
export function isAutoSubmitted(h: HeaderMap, from: string): boolean {
  const auto = header(h, "auto-submitted").toLowerCase();
  if (auto && auto !== "no") return true;
  if (/^(bulk|junk|list|auto_reply)$/i.test(header(h, "precedence").trim())) return true;
  if (h.has("x-autoreply") || h.has("x-autorespond") || h.has("x-auto-response-suppress")) return true;
  if (h.has("list-id") || h.has("list-unsubscribe")) return true;
  return isDaemon(from);
}

export function isDaemon(from: string): boolean {
  return /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?)([+@.-]|$)/i.test(from.trim());
}

const addresses = (v: AddressObject | AddressObject[] | undefined, max = 200): Address[] => {
  const list = (Array.isArray(v) ? v : v ? [v] : []).flatMap((a) => a.value);
  const flat = list.flatMap((a) => (a.group ? a.group : [a]));
  const out: Address[] = [];
  for (const a of flat) {
    if (!a.address || !/^[^\s@<>]+@[^\s@<>]+$/.test(a.address)) continue;
    out.push({ address: a.address.toLowerCase(), name: oneLine(a.name ?? "").slice(0, 200) });
    if (out.length >= max) break;
  }
  return out;
};

/** The original Message-IDs and the diagnostic of a delivery status notification (RFC 3464). */
function parseBounce(mail: ParsedMail, raw: string): ParsedEmail["bounce"] {
  const ct = header(mail.headers, "content-type").toLowerCase();
  const isReport = /multipart\/report/.test(raw.slice(0, 20000).toLowerCase()) || ct.includes("report");
  if (!isReport && !isDaemon(mail.from?.value[0]?.address ?? "")) return null;
  const status = /^Status:\s*([245])\.\d+\.\d+/im.exec(raw);
  const diag = /^Diagnostic-Code:\s*(?:smtp;\s*)?(.+(?:\r?\n[ \t].+)*)/im.exec(raw);
  const ids = new Set<string>();
  for (const m of raw.matchAll(/^(?:Message-ID|X-Rapport-Message-ID):\s*(<[^>\s]+>)/gim)) {
    if (m[1] && m[1] !== normalizeMessageId(mail.messageId)) ids.add(m[1]);
  }
  if (!isReport && ids.size === 0) return null;
  return {
    originalMessageIds: [...ids],
    reason: (diag?.[1] ?? mail.text?.split("\n").find((l) => l.trim()) ?? "Delivery failed")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, 1000),
    permanent: (status?.[1] ?? "5") === "5",
  };
}

/** Charsets some clients send under names mailparser does not know: decoded again with iconv-lite. */
const CHARSET_ALIASES: Record<string, string> = {
  "x-viet-vps": "windows-1258",
  "x-viscii": "viscii",
  vscii: "viscii",
  "x-gbk": "gbk",
  "x-windows-949": "cp949",
  "ks_c_5601-1987": "cp949",
};

function rawCharsetFix(raw: Buffer): Buffer {
  const head = raw.subarray(0, 64 * 1024).toString("latin1");
  let fixed = head;
  for (const [alias, real] of Object.entries(CHARSET_ALIASES)) {
    if (!iconv.encodingExists(real)) continue;
    fixed = fixed.replace(new RegExp(`charset=("?)${alias}\\1`, "gi"), `charset=$1${real}$1`);
  }
  if (fixed === head) return raw;
  return Buffer.concat([Buffer.from(fixed, "latin1"), raw.subarray(64 * 1024)]);
}

function toAttachment(a: Attachment): ParsedAttachment {
  return {
    filename:
      oneLine(a.filename ?? "") || (a.contentType === "message/rfc822" ? "message.eml" : "attachment"),
    contentType: a.contentType || "application/octet-stream",
    content: a.content,
    cid: a.contentId ? a.contentId.replace(/^<|>$/g, "") : null,
    inline: a.contentDisposition === "inline" && !!a.contentId,
  };
}

/** Parses a raw MIME message. Throws only on input mailparser cannot read at all. */
export async function parseEmail(rawInput: Buffer): Promise<ParsedEmail> {
  const raw = rawCharsetFix(rawInput);
  const mail = await simpleParser(raw, {
    skipTextToHtml: true,
    skipImageLinks: true,
    maxHtmlLengthToParse: 5 * 1024 * 1024,
  });
  const h = mail.headers as HeaderMap;
  const from = addresses(mail.from, 1)[0] ?? null;
  const rawHtml = typeof mail.html === "string" ? noNul(mail.html) : "";
  const html = rawHtml ? sanitize(rawHtml) : "";
  // NFC: Vietnamese from windows-1258 arrives decomposed; search and display want composed text.
  const text = (noNul(mail.text ?? "").trim() || (html ? htmlToText(html) : "")).normalize("NFC");
  const fromText = foldText(text);
  let newHtml = "";
  let newText = fromText.body;
  let quotedText = fromText.quoted;
  if (rawHtml) {
    const f = foldHtml(rawHtml);
    // Sanitizing and converting the folded part only matters when a quote was folded away.
    const derived = f.quoted ? htmlToText(sanitize(f.body)) : "";
    if (derived.trim()) {
      newText = dropTrailingAttribution(derived);
      newHtml = sanitize(dropTrailingAttributionHtml(f.body));
      quotedText = htmlToText(sanitize(f.quoted));
    } else {
      newHtml = html;
      if (fromText.quoted) newText = fromText.body;
    }
  }
  const rawText = raw.subarray(0, 2 * 1024 * 1024).toString("utf8");
  return {
    messageId: normalizeMessageId(mail.messageId),
    inReplyTo: messageIdList(mail.inReplyTo),
    references: messageIdList(mail.references),
    threadIndexRoot: threadIndexRoot(header(h, "thread-index") || undefined),
    subject: (mail.subject ?? "")
      .normalize("NFC")
      .replace(/[\u0000-\u001f\u007f]+/g, " ")
      .trim(),
    from,
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    replyTo: addresses(mail.replyTo, 5),
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : null,
    html,
    text,
    newText: newText.normalize("NFC"),
    newHtml: newHtml.normalize("NFC"),
    quotedText,
    attachments: mail.attachments.map(toAttachment),
    autoSubmitted: isAutoSubmitted(h, from?.address ?? ""),
    fromDaemon: isDaemon(from?.address ?? ""),
    bounce: parseBounce(mail, rawText),
  };
}

function dropTrailingAttributionHtml(html: string): string {
  return html.replace(
    /(<div[^>]*>|<p[^>]*>)?\s*(On|Vào)\b[^<]{0,300}(wrote|đã viết):\s*(<br\s*\/?>)?\s*(<\/div>|<\/p>)?\s*$/iu,
    "",
  );
}

/** Blocks remote (http/https) images until an agent allows them; cid: and data: images stay. */
export function blockRemoteImages(html: string): { html: string; count: number } {
  let count = 0;
  const out = html.replace(/(<img\b[^>]*?)\ssrc="https?:[^"]*"/gi, (_m, start: string) => {
    count++;
    return `${start} data-blocked="remote"`;
  });
  return { html: out, count };
}
