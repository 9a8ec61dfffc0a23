/** @jsxImportSource preact */
import { render } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import "./styles.css";
import { HelpTab, type Hit, newSid, TypingSuggestions } from "./help.tsx";
import {
  IconAlert,
  IconCheck,
  IconChecks,
  IconClip,
  IconClock,
  IconClose,
  IconFile,
  IconRetry,
  IconSmile,
} from "./icons.tsx";
import { pickLang, translator } from "./strings.ts";

type Msg = {
  id: string;
  author: "visitor" | "agent" | "system";
  name: string;
  text: string;
  attachments: Array<{ id: string; filename: string; contentType: string; size: number }>;
  delivery: string | null;
  createdAt: string;
  pending?: "sending" | "failed";
};
type Prechat = { enabled: boolean; fields: string[]; required: string[]; topics: string[] };
type Session = {
  token: string;
  visitor: { id: string; name: string | null; email: string | null; identified: boolean };
  /** The identified visitor's own loyalty tier, when the site greets members by tier. */
  member: { tier: string } | null;
  locale: string;
  site: {
    name: string;
    appearance: { color: string; position: "left" | "right"; greeting: Record<string, string> };
    languages: string[];
    prechat: Prechat;
  };
  online: boolean;
  nextAnswerAt: string | null;
  conversation: { ticketId: string; state: string } | null;
  messages: Msg[];
};
type View = "chat" | "prechat" | "offline" | "callback";
/** The survey of the solved chat (GET /widget/api/rating), or "done" once answered. */
type Rating = {
  question: string;
  scale: "good_bad" | "five";
  options: Array<{ value: string; label: string }>;
  reasons: Array<{ id: string; label: string }>;
};
/** A visitor message not acknowledged yet: sent again after every reconnect, failed after FAIL_AFTER_MS. */
type Out = {
  clientId: string;
  text: string;
  attachmentIds?: string[];
  /** The suggestion session, on the first message after suggestions were shown (links them to the chat). */
  sid?: string;
  since: number;
  failed: boolean;
};
/** How long a message may wait for its acknowledgement before it shows as not sent (with Retry). */
const FAIL_AFTER_MS = 15_000;

const params = new URLSearchParams(location.search);
const hash = new URLSearchParams(location.hash.slice(1));
const KEY = params.get("key") ?? "";
const STORE = `rapport:${KEY}`;
const pageOrigin =
  location.ancestorOrigins?.[0] ??
  hash.get("origin") ??
  (document.referrer ? new URL(document.referrer).origin : "");
const EMOJI = ["😀", "😊", "😂", "😍", "🙏", "👍", "👋", "🎉", "❤️", "😢", "😮", "🤔"];

const post = (msg: object) => parent.postMessage(msg, pageOrigin || "*");
const store = {
  get: () => {
    try {
      return localStorage.getItem(STORE) ?? undefined;
    } catch {
      return undefined;
    }
  },
  set: (v: string) => {
    try {
      localStorage.setItem(STORE, v);
    } catch {
      /* storage blocked: the chat lasts as long as the page */
    }
  },
};

async function api<T>(path: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(`/widget/api/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { "x-visitor-token": token } : {}) },
    body: JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw Object.assign(new Error(json?.error?.message ?? "error"), { status: res.status });
  return json as T;
}

function App() {
  const [s, setS] = useState<Session | null>(null);
  const [open, setOpen] = useState(false);
  const [view, setView] = useState<View>("chat");
  const [msgs, setMsgs] = useState<Msg[]>([]);
  const [text, setText] = useState("");
  const [typing, setTyping] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [connected, setConnected] = useState(false);
  const [emoji, setEmoji] = useState(false);
  const [lang, setLang] = useState("en");
  const [rating, setRating] = useState<Rating | "done" | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const [tab, setTab] = useState<"chat" | "help">("chat");
  /** The article read in the help tab (opened there or from a suggestion while typing). */
  const [reading, setReading] = useState<Hit | null>(null);
  /** This visit's suggestion session (deflection) and whether articles were suggested in it. */
  const sid = useRef(newSid());
  const suggested = useRef(false);
  const ws = useRef<WebSocket | null>(null);
  /** The socket said "ready" (authenticated): messages may go out. */
  const ready = useRef(false);
  /** Unacknowledged messages, in the order they were written. */
  const outbox = useRef(new Map<string, Out>());
  const list = useRef<HTMLDivElement>(null);
  const t = translator(lang);
  /** The solved chat's survey, if one is open (404 otherwise: nothing to show). */
  const loadRating = async (token: string) => {
    const res = await fetch("/widget/api/rating", { headers: { "x-visitor-token": token } });
    if (res.ok) setRating((await res.json()) as Rating);
  };
  const rate = async (value: string, reasonId?: string, comment?: string) => {
    if (!s) return;
    try {
      await api(
        "rating",
        { rating: value, ...(reasonId ? { reasonId } : {}), ...(comment ? { comment } : {}) },
        s.token,
      );
      setRating("done");
    } catch (e) {
      if ((e as { status?: number }).status === 409) setRating("done");
      else setNote("error");
    }
  };

  // Start: the loader sends identity and page language; without a loader, start after a moment.
  useEffect(() => {
    let started = false;
    let tries = 0;
    const start = async (identity: unknown, pageLang: string, savedToken?: string) => {
      if (started) return;
      started = true;
      try {
        const session = await api<Session>("session", {
          key: KEY,
          token: store.get() ?? savedToken,
          locale: pageLang,
          pageOrigin,
          ...(identity ? { identity } : {}),
        });
        store.set(session.token);
        post({ rapport: "token", token: session.token });
        setLang(pickLang([pageLang, ...navigator.languages], session.site.languages));
        setMsgs(session.messages);
        setS(session);
        if (session.conversation) loadRating(session.token);
        const pc = session.site.prechat;
        setView(
          !session.online && !session.conversation
            ? "offline"
            : pc.enabled && !session.conversation && !session.visitor.identified
              ? "prechat"
              : "chat",
        );
      } catch {
        // Busy or unreachable: try again a little later (a few times).
        started = false;
        if (++tries < 4) setTimeout(() => start(identity, pageLang, savedToken), 3000 * tries);
        else setNote("error");
      }
    };
    const onMsg = (e: MessageEvent) => {
      if (e.source !== parent || e.data?.rapport !== "init") return;
      const saved = typeof e.data.token === "string" ? e.data.token : undefined;
      start(e.data.identity, e.data.lang ?? hash.get("lang") ?? "", saved);
    };
    addEventListener("message", onMsg);
    post({ rapport: "ready" });
    const fallback = setTimeout(() => start(null, hash.get("lang") ?? navigator.language), 1500);
    return () => {
      removeEventListener("message", onMsg);
      clearTimeout(fallback);
    };
  }, []);

  useEffect(() => {
    post({ rapport: "resize", open, position: s?.site.appearance.position ?? "right" });
  }, [open, s]);

  // The live socket, reconnecting with back-off; "ready" brings the whole conversation again.
  useEffect(() => {
    if (!s) return;
    let stop = false;
    let delay = 500;
    let typingTimer: ReturnType<typeof setTimeout> | undefined;
    const markFailed = (ids: string[]) =>
      setMsgs((old) => old.map((m) => (ids.includes(m.id) ? { ...m, pending: "failed" } : m)));
    // A message without an acknowledgement for FAIL_AFTER_MS shows as not sent, with Retry.
    const watchdog = setInterval(() => {
      const late = [...outbox.current.values()].filter(
        (o) => !o.failed && Date.now() - o.since > FAIL_AFTER_MS,
      );
      for (const o of late) o.failed = true;
      if (late.length) markFailed(late.map((o) => o.clientId));
    }, 1000);
    const connect = () => {
      const sock = new WebSocket(
        `${location.origin.replace(/^http/, "ws")}/widget/ws?key=${encodeURIComponent(KEY)}`,
      );
      ws.current = sock;
      sock.onopen = () => sock.send(JSON.stringify({ type: "auth", token: s.token }));
      sock.onmessage = (e) => {
        const f = JSON.parse(e.data);
        if (f.type === "ready") {
          delay = 500;
          ready.current = true;
          setConnected(true);
          setMsgs((old) => [...f.messages, ...old.filter((m) => m.pending)]);
          // Everything not acknowledged goes again, in order; the server answers a message it
          // already has (its ack was lost with the old socket) with the stored one.
          for (const o of outbox.current.values()) if (!o.failed) transmit(o);
        } else if (f.type === "ack") {
          outbox.current.delete(f.clientId);
          setMsgs((old) => {
            if (old.some((m) => m.id === f.message.id)) return old.filter((m) => m.id !== f.clientId);
            const i = old.findIndex((m) => m.id === f.clientId);
            return i < 0 ? [...old, f.message] : [...old.slice(0, i), f.message, ...old.slice(i + 1)];
          });
        } else if (f.type === "message") {
          setTyping(null);
          setMsgs((old) => (old.some((m) => m.id === f.message.id) ? old : [...old, f.message]));
        } else if (f.type === "rating") {
          loadRating(s.token);
        } else if (f.type === "typing") {
          setTyping(f.typing ? f.name || "" : null);
          // An agent who closed the tab never says "stopped": forget it after a while.
          clearTimeout(typingTimer);
          if (f.typing) typingTimer = setTimeout(() => setTyping(null), 8000);
        } else if (f.type === "error") {
          const o = f.clientId ? outbox.current.get(f.clientId) : undefined;
          if (o) {
            o.failed = true;
            markFailed([o.clientId]);
          }
          setNote(f.code === "rate_limited" ? "tooFast" : "error");
        }
      };
      sock.onclose = () => {
        ready.current = false;
        setConnected(false);
        delay = Math.min(delay * 2, 15_000);
        if (!stop) setTimeout(connect, delay);
      };
    };
    connect();
    return () => {
      stop = true;
      clearInterval(watchdog);
      ws.current?.close();
    };
  }, [s]);

  // Read marks: agent messages shown while the chat is open.
  useEffect(() => {
    list.current?.scrollTo(0, list.current.scrollHeight);
    if (!open || !connected) return;
    const last = [...msgs].reverse().find((m) => m.author === "agent");
    if (last && last.delivery !== "read") {
      ws.current?.send(JSON.stringify({ type: "read", messageId: last.id }));
      last.delivery = "read";
    }
  }, [msgs, open, connected, typing]);

  if (!s) return note ? null : <div />;
  const color = /^#[0-9a-f]{6}$/i.test(s.site.appearance.color) ? s.site.appearance.color : "#1c64f2";
  const greeting = s.site.appearance.greeting[lang] || t("greeting");

  /** Sends now if the socket is ready; otherwise the next "ready" sends it. */
  function transmit(o: Out) {
    const sock = ws.current;
    if (!ready.current || !sock || sock.readyState !== 1) return;
    sock.send(
      JSON.stringify({
        type: "message",
        clientId: o.clientId,
        text: o.text,
        ...(o.attachmentIds ? { attachmentIds: o.attachmentIds } : {}),
        ...(o.sid ? { sid: o.sid } : {}),
      }),
    );
  }

  const retry = (clientId: string) => {
    const o = outbox.current.get(clientId);
    if (!o) return;
    o.failed = false;
    o.since = Date.now();
    setMsgs((old) => old.map((m) => (m.id === clientId ? { ...m, pending: "sending" } : m)));
    setNote(null);
    transmit(o);
  };

  const send = (attachmentIds?: string[]) => {
    const body = text.trim();
    if (!body && !attachmentIds) return;
    const clientId = `c${Date.now()}${Math.random().toString(36).slice(2, 6)}`;
    const mine: Msg = {
      id: clientId,
      author: "visitor",
      name: "",
      text: body,
      attachments: [],
      delivery: null,
      createdAt: new Date().toISOString(),
      pending: "sending",
    };
    const o: Out = { clientId, text: body, attachmentIds, since: Date.now(), failed: false };
    if (suggested.current) {
      o.sid = sid.current;
      suggested.current = false;
    }
    outbox.current.set(clientId, o);
    setMsgs((old) => [...old, mine]);
    transmit(o);
    setText("");
    setNote(null);
  };

  const upload = async (file: File) => {
    if (file.size > 5 * 1024 * 1024) return setNote("fileTooBig");
    const fd = new FormData();
    fd.append("file", file);
    const res = await fetch("/widget/api/attachments", {
      method: "POST",
      headers: { "x-visitor-token": s.token },
      body: fd,
    });
    if (!res.ok)
      return setNote(res.status === 415 ? "fileType" : res.status === 413 ? "fileTooBig" : "error");
    const a = await res.json();
    send([a.id]);
  };

  const download = async (id: string, filename: string) => {
    const res = await fetch(`/widget/api/attachments/${id}`, { headers: { "x-visitor-token": s.token } });
    if (!res.ok) return;
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement("a");
    a.href = url;
    a.download = filename;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 5000);
  };

  const form = (
    fields: string[],
    required: string[],
    submit: (v: Record<string, string>) => Promise<void>,
    label: string,
  ) => (
    <form
      class="form"
      onSubmit={async (e) => {
        e.preventDefault();
        const data = Object.fromEntries(new FormData(e.currentTarget as HTMLFormElement)) as Record<
          string,
          string
        >;
        try {
          await submit(data);
        } catch {
          setNote("error");
        }
      }}
    >
      {fields.map((f) =>
        f === "topic" && s.site.prechat.topics.length ? (
          <label key={f} htmlFor="f-topic">
            {t("topic")}
            <select id="f-topic" name="topic">
              {s.site.prechat.topics.map((x) => (
                <option key={x}>{x}</option>
              ))}
            </select>
          </label>
        ) : (
          <label key={f} htmlFor={`f-${f}`}>
            {f === "when" ? t("callbackWhen") : t(f as "name")}
            {f === "message" ? (
              <textarea id={`f-${f}`} name={f} required rows={4} maxLength={4000} />
            ) : (
              <input
                id={`f-${f}`}
                name={f}
                type={
                  f === "email" ? "email" : f === "phone" ? "tel" : f === "when" ? "datetime-local" : "text"
                }
                required={required.includes(f)}
                maxLength={200}
              />
            )}
          </label>
        ),
      )}
      <button type="submit" class="primary">
        {label}
      </button>
    </form>
  );

  return (
    <div class={`root ${s.site.appearance.position}`} style={{ "--c": color }}>
      {open && (
        <section class="panel" aria-label={t("title")}>
          <header>
            <strong>{s.site.name || t("title")}</strong>
            <button type="button" class="x" aria-label={t("close")} onClick={() => setOpen(false)}>
              <IconClose />
            </button>
          </header>
          <div class="tabs" role="tablist">
            {(["chat", "help"] as const).map((k) => (
              <button
                type="button"
                role="tab"
                key={k}
                id={`w-tab-${k}`}
                aria-selected={tab === k}
                onClick={() => setTab(k)}
              >
                {t(k === "chat" ? "tabChat" : "tabHelp")}
              </button>
            ))}
          </div>
          {tab === "help" && (
            <HelpTab lang={lang} sid={sid.current} t={t} reading={reading} onOpen={setReading} />
          )}
          {tab === "chat" &&
            view === "prechat" &&
            form(
              s.site.prechat.fields,
              s.site.prechat.required,
              async (v) => {
                await api("profile", Object.fromEntries(Object.entries(v).filter(([, x]) => x)), s.token);
                setView("chat");
              },
              t("start"),
            )}
          {tab === "chat" && view === "offline" && (
            <div class="body">
              <h2>{t("offlineTitle")}</h2>
              <p>
                {s.nextAnswerAt
                  ? t("offlineWhen", {
                      when: new Date(s.nextAnswerAt).toLocaleString(lang, {
                        dateStyle: "medium",
                        timeStyle: "short",
                      }),
                    })
                  : t("offlineSoon")}
              </p>
              {note?.startsWith("#") ? (
                <p role="status">{t("offlineThanks", { number: note.slice(1) })}</p>
              ) : (
                form(
                  ["name", "email", "message"],
                  ["email", "message"],
                  async (v) => {
                    const r = await api<{ number: number }>(
                      "offline",
                      { name: v.name || undefined, email: v.email, message: v.message },
                      s.token,
                    );
                    setNote(`#${r.number}`);
                  },
                  t("leaveMessage"),
                )
              )}
              <button type="button" class="link" onClick={() => setView("callback")}>
                {t("callback")}
              </button>
            </div>
          )}
          {tab === "chat" && view === "callback" && (
            <div class="body">
              <h2>{t("callbackTitle")}</h2>
              {note === "cb" ? (
                <p role="status">{t("callbackThanks")}</p>
              ) : (
                form(
                  ["name", "phone", "when"],
                  ["phone"],
                  async (v) => {
                    const when = v.when ? new Date(v.when) : null;
                    await api(
                      "callback",
                      {
                        phone: v.phone,
                        ...(v.name ? { name: v.name } : {}),
                        ...(when
                          ? {
                              windowStart: when.toISOString(),
                              windowEnd: new Date(when.getTime() + 3600_000).toISOString(),
                            }
                          : {}),
                      },
                      s.token,
                    );
                    setNote("cb");
                  },
                  t("callbackSend"),
                )
              )}
              <button
                type="button"
                class="link"
                onClick={() => {
                  setNote(null);
                  setView(s.online ? "chat" : "offline");
                }}
              >
                {t("back")}
              </button>
            </div>
          )}
          {tab === "chat" && view === "chat" && (
            <>
              <div class="msgs" ref={list} aria-live="polite">
                {s.member && (
                  <p class="m agent" data-testid="member-greeting">
                    {t("memberGreeting", { tier: s.member.tier })}
                  </p>
                )}
                <p class="m agent">{greeting}</p>
                {msgs.map((m) => (
                  <div
                    key={m.id}
                    class={`m ${m.author === "visitor" ? "me" : "agent"}`}
                    data-testid="chat-message"
                  >
                    {m.author === "agent" && <small>{m.name || t("support")}</small>}
                    <span class="text">{m.text}</span>
                    {m.attachments.map((a) => (
                      <button
                        type="button"
                        class="file"
                        key={a.id}
                        onClick={() => download(a.id, a.filename)}
                      >
                        <IconFile /> {a.filename}
                      </button>
                    ))}
                    {m.author === "visitor" &&
                      (m.pending === "failed" ? (
                        <small class="st failed" data-testid="chat-failed" data-state="failed">
                          <IconAlert /> {t("failed")}
                          <button type="button" class="retry" onClick={() => retry(m.id)}>
                            <IconRetry /> {t("retry")}
                          </button>
                        </small>
                      ) : m.pending ? (
                        <small class="st" data-state="sending">
                          <IconClock /> {t("sending")}
                        </small>
                      ) : m.delivery === "read" ? (
                        <small class="st" data-state="read">
                          <IconChecks /> {t("read")}
                        </small>
                      ) : (
                        <small class="st" title={t("delivered")} data-state="delivered">
                          <IconCheck />
                          <span class="sr">{t("delivered")}</span>
                        </small>
                      ))}
                  </div>
                ))}
                {typing !== null && <p class="typing">{t("typing", { name: typing || t("support") })}</p>}
              </div>
              {note && !note.startsWith("#") && note !== "cb" && (
                <p class="note" role="alert">
                  {note.startsWith("@") ? t("transcriptSent", { email: note.slice(1) }) : t(note as "error")}
                </p>
              )}
              {!connected && <p class="note">{t("reconnecting")}</p>}
              {rating === "done" && (
                <p class="note" role="status" data-testid="rating-thanks">
                  {t("ratingThanks")}
                </p>
              )}
              {rating && rating !== "done" && (
                <form
                  class="rating"
                  data-testid="chat-rating"
                  onSubmit={(e) => {
                    e.preventDefault();
                    const f = new FormData(e.currentTarget as HTMLFormElement);
                    if (picked)
                      rate(
                        picked,
                        String(f.get("reason") ?? "") || undefined,
                        String(f.get("comment") ?? "").trim(),
                      );
                  }}
                >
                  <fieldset class="rating-options">
                    <legend>{rating.question}</legend>
                    {rating.options.map((o) => (
                      <button
                        type="button"
                        key={o.value}
                        aria-pressed={picked === o.value}
                        onClick={() => {
                          const bad = o.value === "bad" || (rating.scale === "five" && Number(o.value) < 4);
                          if (bad) setPicked(o.value);
                          else rate(o.value);
                        }}
                      >
                        {o.label}
                      </button>
                    ))}
                  </fieldset>
                  {picked && (
                    <>
                      {rating.reasons.length > 0 && (
                        <label>
                          {t("ratingReason")}
                          <select name="reason">
                            <option value="" />
                            {rating.reasons.map((r) => (
                              <option key={r.id} value={r.id}>
                                {r.label}
                              </option>
                            ))}
                          </select>
                        </label>
                      )}
                      <label>
                        {t("ratingComment")}
                        <textarea name="comment" maxLength={5000} rows={2} />
                      </label>
                      <button type="submit" class="primary">
                        {t("ratingSend")}
                      </button>
                    </>
                  )}
                </form>
              )}
              {!s.conversation && !msgs.some((m) => m.author === "visitor") && (
                <TypingSuggestions
                  text={text}
                  lang={lang}
                  sid={sid.current}
                  t={t}
                  onShown={() => {
                    suggested.current = true;
                  }}
                  onOpen={(h) => {
                    setReading(h);
                    setTab("help");
                  }}
                />
              )}
              {emoji && (
                <div class="emoji">
                  {EMOJI.map((e) => (
                    <button type="button" key={e} onClick={() => setText((x) => x + e)}>
                      {e}
                    </button>
                  ))}
                </div>
              )}
              <form
                class="compose"
                onSubmit={(e) => {
                  e.preventDefault();
                  send();
                }}
              >
                <button
                  type="button"
                  aria-label={t("emoji")}
                  aria-expanded={emoji}
                  onClick={() => setEmoji(!emoji)}
                >
                  <IconSmile />
                </button>
                <label class="attach" title={t("attach")}>
                  <IconClip />
                  <input
                    type="file"
                    aria-label={t("attach")}
                    accept="image/*,application/pdf,text/plain"
                    onChange={(e) => {
                      const f = (e.currentTarget as HTMLInputElement).files?.[0];
                      if (f) upload(f);
                      (e.currentTarget as HTMLInputElement).value = "";
                    }}
                  />
                </label>
                <textarea
                  aria-label={t("placeholder")}
                  placeholder={t("placeholder")}
                  value={text}
                  maxLength={4000}
                  rows={1}
                  onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)}
                  onKeyDown={(e) => {
                    if (e.key === "Enter" && !e.shiftKey) {
                      e.preventDefault();
                      send();
                    }
                  }}
                />
                <button type="submit" class="primary">
                  {t("send")}
                </button>
              </form>
              <footer>
                <button
                  type="button"
                  class="link"
                  onClick={async () => {
                    const email = s.visitor.email ?? prompt(t("email")) ?? "";
                    if (!email) return;
                    try {
                      const r = await api<{ to: string }>("transcript", { email }, s.token);
                      setNote(`@${r.to}`);
                    } catch {
                      setNote("error");
                    }
                  }}
                >
                  {t("transcript")}
                </button>
                <button
                  type="button"
                  class="link"
                  onClick={() => {
                    setNote(null);
                    setView("callback");
                  }}
                >
                  {t("callback")}
                </button>
              </footer>
            </>
          )}
        </section>
      )}
      <button
        type="button"
        class="bubble"
        aria-label={open ? t("close") : t("open")}
        onClick={() => setOpen(!open)}
      >
        {open ? (
          <IconClose />
        ) : (
          <svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true">
            <path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z" />
          </svg>
        )}
      </button>
    </div>
  );
}

render(<App />, document.getElementById("app") as HTMLElement);
