import { Anchor, List, Paper, Text } from "@mantine/core";
import type { KbPublicHit } from "@rapport/server/contract";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

/** One hit of GET /api/v1/public/kb/suggest. */
type Hit = KbPublicHit;

/** A random id for this visit's suggestions (deflection: docs/portal.md). */
export function newSuggestionSid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Published articles for what the visitor is typing (the subject), in their language; each
 * shown list is reported as a deflection event (source `form`), and links go through the
 * open-and-redirect endpoint so an open is counted.
 */
export function FormSuggestions({ text, lang, sid }: { text: string; lang: string; sid: string }) {
  const { t } = useTranslation();
  const [hits, setHits] = useState<Hit[]>([]);
  useEffect(() => {
    const q = text.trim().slice(0, 200);
    if (q.length < 3) {
      setHits([]);
      return;
    }
    const ctrl = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const res = await fetch(
          `/api/v1/public/kb/suggest?limit=5&lang=${encodeURIComponent(lang)}&q=${encodeURIComponent(q)}`,
          { credentials: "omit", signal: ctrl.signal },
        );
        const items = res.ok ? ((await res.json()) as { items: Hit[] }).items : [];
        setHits(items);
        if (items.length > 0)
          await fetch("/api/v1/public/deflection/events", {
            method: "POST",
            credentials: "omit",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({
              sid,
              source: "form",
              event: "shown",
              language: lang,
              articleIds: items.map((h) => h.id),
            }),
            signal: ctrl.signal,
          });
      } catch {
        // Suggestions are a help, never a reason to block the form.
      }
    }, 250);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [text, lang, sid]);
  if (hits.length === 0) return null;
  return (
    <Paper withBorder p="sm" component="section" aria-live="polite" data-testid="form-suggestions">
      <Text fw={600} size="sm" mb={4}>
        {t("forms.suggestions")}
      </Text>
      <List size="sm" spacing={4}>
        {hits.map((h) => (
          <List.Item key={h.id}>
            <Anchor
              href={`/api/v1/public/deflection/open?article=${h.id}&lang=${encodeURIComponent(h.language)}&sid=${sid}`}
              target="_blank"
              rel="noopener"
            >
              {h.title}
            </Anchor>
          </List.Item>
        ))}
      </List>
    </Paper>
  );
}
