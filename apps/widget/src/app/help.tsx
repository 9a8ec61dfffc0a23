/** @jsxImportSource preact */
import { useEffect, useState } from "preact/hooks";
import type { translator } from "./strings.ts";

/**
 * The widget's help tab and its suggestions while the visitor types the first message (issue 15):
 * the public knowledge-base API (published public articles only, in the widget's language),
 * every list shown reported as a deflection event (source `widget`) for this visit's suggestion
 * session, and links through the open-and-redirect endpoint so an open is counted
 * (docs/portal.md, "Deflection").
 */
type T = ReturnType<typeof translator>;
/** One hit of GET /api/v1/public/kb/search|suggest|popular (the server's ZPublicHit / ZPublicArticleLink). */
type Hit = { id: string; language: string; title: string; snippet?: string };

/** A random id for this visit's suggestions. */
export const newSid = () =>
  `w${Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, "0")).join("")}`;

async function kbList(path: string): Promise<Hit[]> {
  try {
    const res = await fetch(`/api/v1/public/kb/${path}`, { credentials: "omit" });
    return res.ok ? ((await res.json()) as { items: Hit[] }).items : [];
  } catch {
    return [];
  }
}

function reportShown(sid: string, language: string, hits: Hit[]) {
  if (hits.length === 0) return;
  fetch("/api/v1/public/deflection/events", {
    method: "POST",
    credentials: "omit",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      sid,
      source: "widget",
      event: "shown",
      language,
      articleIds: hits.slice(0, 5).map((h) => h.id),
    }),
  }).catch(() => {
    /* suggestions are a help, never a reason to fail */
  });
}

/** The server's snippet: escaped text with <mark> around matches, shown as text nodes (no innerHTML). */
function Snippet({ html }: { html: string }) {
  const text = (s: string) =>
    s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) =>
      e === "amp" ? "&" : e === "lt" ? "<" : e === "gt" ? ">" : e === "quot" ? '"' : "'",
    );
  return (
    <small class="snip">
      {html.split(/<\/?mark>/).map((part, i) => (i % 2 ? <mark key={i}>{text(part)}</mark> : text(part)))}
    </small>
  );
}

function Articles({ hits, sid }: { hits: Hit[]; sid: string }) {
  return (
    <ul class="arts">
      {hits.map((h) => (
        <li key={h.id}>
          <a
            href={`/api/v1/public/deflection/open?article=${h.id}&lang=${encodeURIComponent(h.language)}&sid=${sid}`}
            target="_blank"
            rel="noopener"
            data-testid="widget-article"
          >
            {h.title}
          </a>
          {h.snippet && <Snippet html={h.snippet} />}
        </li>
      ))}
    </ul>
  );
}

/** Waits `ms` after the last change of `text`, then loads the list (stale answers are dropped). */
function useDebouncedList(text: string, ms: number, load: (q: string) => Promise<Hit[]>) {
  const [hits, setHits] = useState<Hit[] | null>(null);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(async () => {
      const found = await load(text);
      if (live) setHits(found);
    }, ms);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [text]);
  return hits;
}

export function HelpTab({ lang, sid, t }: { lang: string; sid: string; t: T }) {
  const [q, setQ] = useState("");
  const query = q.trim().slice(0, 200);
  const hits = useDebouncedList(query, query ? 300 : 0, async (text) => {
    const found = text
      ? await kbList(`search?limit=8&lang=${encodeURIComponent(lang)}&q=${encodeURIComponent(text)}`)
      : await kbList(`popular?limit=6&lang=${encodeURIComponent(lang)}`);
    reportShown(sid, lang, found);
    return found;
  });
  return (
    <div class="body help" role="tabpanel" id="w-help" aria-labelledby="w-tab-help">
      <input
        type="search"
        class="search"
        aria-label={t("helpSearch")}
        placeholder={t("helpSearch")}
        value={q}
        maxLength={200}
        onInput={(e) => setQ((e.currentTarget as HTMLInputElement).value)}
      />
      <div aria-live="polite" data-testid="widget-help-results">
        {!query && hits && hits.length > 0 && <h2>{t("helpPopular")}</h2>}
        {hits && <Articles hits={hits} sid={sid} />}
        {query && hits?.length === 0 && <p class="note">{t("helpNone")}</p>}
      </div>
      <a class="all" href={`/help/${encodeURIComponent(lang)}`} target="_blank" rel="noopener">
        {t("helpAll")}
      </a>
    </div>
  );
}

/**
 * Up to three articles for the first message while the visitor types it (400 ms after the last
 * key); `onShown` tells the widget to send the suggestion session with the first message, which
 * links these suggestions to the chat's ticket.
 */
export function TypingSuggestions(props: {
  text: string;
  lang: string;
  sid: string;
  t: T;
  onShown: () => void;
}) {
  const query = props.text.trim().slice(0, 200);
  const hits = useDebouncedList(query, 400, async (text) => {
    if (text.length < 3) return [];
    const found = await kbList(
      `suggest?limit=3&lang=${encodeURIComponent(props.lang)}&q=${encodeURIComponent(text)}`,
    );
    if (found.length) {
      reportShown(props.sid, props.lang, found);
      props.onShown();
    }
    return found;
  });
  if (!hits?.length || query.length < 3) return null;
  return (
    <section class="sugg" aria-live="polite" data-testid="widget-suggestions">
      <h2>{props.t("suggested")}</h2>
      <Articles hits={hits} sid={props.sid} />
    </section>
  );
}
