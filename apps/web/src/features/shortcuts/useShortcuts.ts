import { useEffect, useRef } from "react";

/** Keyboard shortcuts a screen offers; keys are `KeyboardEvent.key` values ("j", "Enter", "?", "/"). */
export type ShortcutMap = Partial<Record<string, (e: KeyboardEvent) => void>>;

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") {
    const type = (target as HTMLInputElement).type;
    return !["checkbox", "radio", "button", "submit"].includes(type);
  }
  return false;
}

/** Single-key shortcuts, ignored while typing in a field or with a modifier held. */
export function useShortcuts(map: ShortcutMap) {
  const ref = useRef(map);
  ref.current = map;
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || isTyping(e.target)) return;
      if (document.querySelector("[role=dialog][aria-modal=true]") && e.key !== "Escape") return;
      const fn = ref.current[e.key];
      if (!fn) return;
      e.preventDefault();
      fn(e);
    }
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
}

/** The shortcut list shown by `?` (labels are i18n keys). */
export const SHORTCUTS: { keys: string; label: string }[] = [
  { keys: "j / k", label: "shortcuts.move" },
  { keys: "Enter", label: "shortcuts.open" },
  { keys: "r", label: "shortcuts.reply" },
  { keys: "n", label: "shortcuts.note" },
  { keys: "e", label: "shortcuts.solve" },
  { keys: "/", label: "shortcuts.search" },
  { keys: "?", label: "shortcuts.help" },
  { keys: "Ctrl+Enter", label: "shortcuts.send" },
];
