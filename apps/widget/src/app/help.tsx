/** @jsxImportSource preact */
import { useEffect, useRef, useState } from "preact/hooks";
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
export type Hit = { id: string; language: string; slug: string; title: string; snippet?: string };
/** GET /api/v1/public/kb/articles/:slug (the server's ZPublicArticle, the fields shown here). */
type Article = { id: string; language: string; fallback: boolean; title: string; body: string };

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

/** The events sent so far, in order: an open must reach the server after the list that showed it. */
let sent: Promise<unknown> = Promise.resolve();

/** A deflection event for this visit's suggestion session (suggestions are a help, never a reason to fail). */
function report(sid: string, event: "shown" | "opened", language: string, articleIds: string[]) {
  if (articleIds.length === 0) return;
  sent = sent
    .then(() =>
      fetch("/api/v1/public/deflection/events", {
        method: "POST",
        credentials: "omit",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ sid, source: "widget", event, language, articleIds }),
      }),
    )
    .catch(() => {
      /* ignored: see above */
    });
}

function reportShown(sid: string, language: string, hits: Hit[]) {
  report(
    sid,
    "shown",
    language,
    hits.slice(0, 5).map((h) => h.id),
  );
}

/** The open-and-redirect address of an article (counts the open, then shows it on /help). */
const openUrl = (h: Hit, sid: string) =>
  `/api/v1/public/deflection/open?article=${h.id}&lang=${encodeURIComponent(h.language)}&sid=${sid}`;

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

/**
 * Article links: a plain click reads the article inside the widget (`onOpen`); a click with a
 * modifier key, the middle button or "open in new tab" follows the link to the help centre.
 */
function Articles({ hits, sid, onOpen }: { hits: Hit[]; sid: string; onOpen: (h: Hit) => void }) {
  return (
    <ul class="arts">
      {hits.map((h) => (
        <li key={h.id}>
          <a
            href={openUrl(h, sid)}
            target="_blank"
            rel="noopener"
            data-testid="widget-article"
            onClick={(e) => {
              if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
              e.preventDefault();
              onOpen(h);
            }}
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

/**
 * An article read inside the widget: the published translation in the widget's language (else
 * the default language's, said so), its sanitized body as the help centre shows it, a way back
 * to the list and the same article in the help centre. Opening it counts as an open for the
 * suggestion session, like the link does. Links inside the body open in a new tab (the frame
 * never navigates away from the chat).
 */
function ArticleView({
  hit,
  lang,
  sid,
  t,
  onBack,
}: {
  hit: Hit;
  lang: string;
  sid: string;
  t: T;
  onBack: () => void;
}) {
  const [article, setArticle] = useState<Article | "failed" | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const body = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let live = true;
    setArticle(null);
    report(sid, "opened", hit.language, [hit.id]);
    fetch(`/api/v1/public/kb/articles/${encodeURIComponent(hit.slug)}?lang=${encodeURIComponent(lang)}`, {
      credentials: "omit",
    })
      .then(async (res) => (res.ok ? ((await res.json()) as Article) : "failed"))
      .catch(() => "failed" as const)
      .then((a) => {
        if (live) setArticle(a);
      });
    return () => {
      live = false;
    };
  }, [hit.id, hit.slug, lang]);
  useEffect(() => {
    if (article && article !== "failed") heading.current?.focus();
    for (const a of body.current?.querySelectorAll("a[href]") ?? []) {
      a.setAttribute("target", "_blank");
      a.setAttribute("rel", "noopener");
    }
  }, [article]);
  return (
    <div class="body help reading" role="tabpanel" id="w-help" aria-labelledby="w-tab-help">
      <button type="button" class="back" onClick={onBack}>
        <span aria-hidden="true">← </span>
        {t("helpBack")}
      </button>
      {article === null && (
        <p class="note" role="status">
          {t("helpLoading")}
        </p>
      )}
      {article === "failed" && (
        <p class="note" role="alert">
          {t("helpFailed")}
        </p>
      )}
      {article && article !== "failed" && (
        <article data-testid="widget-article-view" lang={article.language}>
          <h2 ref={heading} tabIndex={-1}>
            {article.title}
          </h2>
          {article.fallback && <p class="note">{t("helpFallback")}</p>}
          {/* Sanitized by the server when the article was saved (sanitizeArticle), as on /help. */}
          <div class="article" ref={body} dangerouslySetInnerHTML={{ __html: article.body }} />
        </article>
      )}
      <a class="all" href={openUrl(hit, sid)} target="_blank" rel="noopener">
        {t("helpOpenFull")}
      </a>
    </div>
  );
}

export function HelpTab({
  lang,
  sid,
  t,
  reading,
  onOpen,
}: {
  lang: string;
  sid: string;
  t: T;
  /** The article being read (opened here or from a suggestion in the chat tab), or null. */
  reading: Hit | null;
  onOpen: (h: Hit | null) => void;
}) {
  const [q, setQ] = useState("");
  const query = q.trim().slice(0, 200);
  const hits = useDebouncedList(query, query ? 300 : 0, async (text) => {
    const found = text
      ? await kbList(`search?limit=8&lang=${encodeURIComponent(lang)}&q=${encodeURIComponent(text)}`)
      : await kbList(`popular?limit=6&lang=${encodeURIComponent(lang)}`);
    reportShown(sid, lang, found);
    return found;
  });
  if (reading) return <ArticleView hit={reading} lang={lang} sid={sid} t={t} onBack={() => onOpen(null)} />;
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
        {hits && <Articles hits={hits} sid={sid} onOpen={onOpen} />}
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
  onOpen: (h: Hit) => void;
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
      <Articles hits={hits} sid={props.sid} onOpen={props.onOpen} />
    </section>
  );
}
