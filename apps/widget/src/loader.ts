/**
 * The script a site owner pastes:
 *   <script src="https://help.example.com/widget/loader.js" data-rapport-site="rs_…" async></script>
 * It injects one iframe (the chat app, served by Rapport) so the page's CSS and the
 * widget's never touch. Options: `data-rapport-identity` (JSON {userId, email?, name?,
 * signature}) or `window.RapportChat = { identity }` set before the script.
 * The iframe asks to be resized with postMessage; nothing else crosses the boundary.
 */
type Identity = { userId: string; email?: string; name?: string; signature?: string };

(() => {
  const w = window as Window & { RapportChat?: { identity?: Identity }; __rapportChat?: boolean };
  if (w.__rapportChat) return;
  w.__rapportChat = true;
  const script = (document.currentScript ??
    document.querySelector("script[data-rapport-site]")) as HTMLScriptElement | null;
  if (!script) return;
  const key = script.getAttribute("data-rapport-site") ?? "";
  const base = new URL(script.src, location.href).origin;
  let identity: Identity | undefined = w.RapportChat?.identity;
  const raw = script.getAttribute("data-rapport-identity");
  if (raw) {
    try {
      identity = JSON.parse(raw);
    } catch {
      /* ignored: a malformed identity is left out */
    }
  }
  const store = `rapport-chat:${key}`;
  const saved = () => {
    try {
      return localStorage.getItem(store);
    } catch {
      return null;
    }
  };
  const lang = document.documentElement.lang || navigator.language || "en";
  const frame = document.createElement("iframe");
  frame.title = "Chat";
  frame.src = `${base}/widget/app/frame.html?key=${encodeURIComponent(key)}#lang=${encodeURIComponent(lang)}&origin=${encodeURIComponent(location.origin)}`;
  frame.setAttribute("allow", "clipboard-write");
  const s = frame.style;
  const set = (css: Record<string, string>) => {
    for (const k in css) s.setProperty(k, css[k] ?? "", "important");
  };
  set({
    position: "fixed",
    bottom: "16px",
    right: "16px",
    width: "72px",
    height: "72px",
    border: "0",
    margin: "0",
    padding: "0",
    background: "transparent",
    "color-scheme": "normal",
    "z-index": "2147483000",
    "max-width": "calc(100vw - 16px)",
    "max-height": "calc(100vh - 16px)",
    display: "block",
  });
  window.addEventListener("message", (e) => {
    if (e.origin !== base || e.source !== frame.contentWindow) return;
    const d = e.data as { rapport?: string; open?: boolean; position?: string };
    if (d?.rapport === "ready") {
      frame.contentWindow?.postMessage(
        { rapport: "init", identity: identity ?? null, lang, token: saved() },
        base,
      );
    } else if (d?.rapport === "token" && typeof (d as { token?: unknown }).token === "string") {
      // Kept first-party too: browsers that block storage in third-party frames would forget the chat.
      try {
        localStorage.setItem(store, (d as { token: string }).token);
      } catch {
        /* storage blocked */
      }
    } else if (d?.rapport === "resize") {
      const left = d.position === "left";
      set({
        width: d.open ? "380px" : "72px",
        height: d.open ? "600px" : "72px",
        left: left ? "16px" : "auto",
        right: left ? "auto" : "16px",
      });
    }
  });
  const mount = () => document.body.appendChild(frame);
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
