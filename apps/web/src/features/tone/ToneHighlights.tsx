import { Button, Group, Paper, Stack, Text } from "@mantine/core";
import { type CSSProperties, type RefObject, useLayoutEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ToneFinding } from "./api.ts";

const COPIED = [
  "fontFamily",
  "fontSize",
  "fontWeight",
  "lineHeight",
  "letterSpacing",
  "paddingTop",
  "paddingRight",
  "paddingBottom",
  "paddingLeft",
  "borderTopWidth",
  "borderRightWidth",
  "borderBottomWidth",
  "borderLeftWidth",
  "textAlign",
  "direction",
] as const;

/**
 * Underlines the findings inside a textarea: a layer with the same box and font lies over it,
 * its text transparent, only the marks visible; it follows the textarea's scrolling. Pointer
 * events pass through, so typing is never in its way.
 */
export function ToneHighlights({
  text,
  findings,
  target,
}: {
  text: string;
  findings: ToneFinding[];
  target: RefObject<HTMLTextAreaElement | null>;
}) {
  const [box, setBox] = useState<CSSProperties>({});
  const [scroll, setScroll] = useState(0);
  useLayoutEffect(() => {
    const el = target.current;
    if (!el) return;
    const cs = getComputedStyle(el);
    const next: Record<string, string> = {};
    for (const k of COPIED) next[k] = cs[k];
    setBox(next as CSSProperties);
    const onScroll = () => setScroll(el.scrollTop);
    el.addEventListener("scroll", onScroll);
    return () => el.removeEventListener("scroll", onScroll);
  }, [target]);
  if (findings.length === 0) return null;
  const parts: Array<{ text: string; finding?: ToneFinding }> = [];
  let at = 0;
  for (const f of findings) {
    if (f.start < at) continue;
    parts.push({ text: text.slice(at, f.start) });
    parts.push({ text: text.slice(f.start, f.end), finding: f });
    at = f.end;
  }
  parts.push({ text: `${text.slice(at)}\n` });
  return (
    <div
      aria-hidden
      style={{
        ...box,
        position: "absolute",
        inset: 0,
        boxSizing: "border-box",
        borderStyle: "solid",
        borderColor: "transparent",
        color: "transparent",
        whiteSpace: "pre-wrap",
        overflowWrap: "break-word",
        overflow: "hidden",
        pointerEvents: "none",
      }}
    >
      <div style={{ transform: `translateY(${-scroll}px)` }}>
        {parts.map((p, i) =>
          p.finding ? (
            <mark
              // biome-ignore lint/suspicious/noArrayIndexKey: parts are positional
              key={i}
              data-testid="tone-mark"
              data-category={p.finding.category}
              style={{
                color: "transparent",
                background: "rgba(250, 176, 5, 0.18)",
                textDecoration: "underline wavy #e8590c",
                textUnderlineOffset: 3,
                borderRadius: 2,
              }}
            >
              {p.text}
            </mark>
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: parts are positional
            <span key={i}>{p.text}</span>
          ),
        )}
      </div>
    </div>
  );
}

/** The flagged phrases with their suggestions; a click replaces the phrase in the text. */
export function ToneSuggestions({
  findings,
  onReplace,
}: {
  findings: ToneFinding[];
  onReplace: (f: ToneFinding, suggestion: string) => void;
}) {
  const { t } = useTranslation();
  if (findings.length === 0) return null;
  return (
    <Paper withBorder p="xs" radius="sm" bg="var(--mantine-color-orange-light)" aria-live="polite">
      <Stack gap={6} data-testid="tone-suggestions">
        <Text size="xs" fw={600}>
          {t("tone.heading", { count: findings.length })}
        </Text>
        {findings.map((f) => (
          <Stack key={`${f.start}-${f.ruleId}`} gap={4}>
            <Text size="sm">
              <Text span fw={600}>
                “{f.text}”
              </Text>{" "}
              <Text span size="xs" c="dimmed">
                {t(`tone.category.${f.category}`)}
              </Text>
            </Text>
            <Group gap={6}>
              {f.suggestions.map((s) => (
                <Button
                  key={s}
                  size="compact-xs"
                  variant="default"
                  onClick={() => onReplace(f, s)}
                  aria-label={t("tone.replaceWith", { phrase: f.text, suggestion: s })}
                  data-testid="tone-suggestion"
                  styles={{ label: { whiteSpace: "normal", textAlign: "start" } }}
                  h="auto"
                  py={2}
                >
                  {s}
                </Button>
              ))}
            </Group>
          </Stack>
        ))}
      </Stack>
    </Paper>
  );
}

/** Puts `suggestion` in place of the finding (its offsets are checked against the text). */
export function replaceFinding(text: string, f: ToneFinding, suggestion: string): string {
  if (text.slice(f.start, f.end) !== f.text) return text;
  return text.slice(0, f.start) + suggestion + text.slice(f.end);
}
