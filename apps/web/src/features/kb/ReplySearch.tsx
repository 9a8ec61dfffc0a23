import { Alert, Badge, Button, Group, Popover, ScrollArea, Stack, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { get } from "../../lib/api.ts";
import { usePublicAddress } from "../../lib/publicAddress.ts";
import type { Ticket } from "../../lib/types.ts";
import { useMe } from "../auth/session.ts";
import { htmlToPlain, type KbArticle, type KbArticleSummary, useKbArticles } from "./api.ts";

/** The translation to use for a ticket: its language's published one, else the source language's. */
export function translationFor(a: KbArticle, language: string) {
  const own = a.translations.find((x) => x.language === language);
  return own ?? a.translations.find((x) => x.language === a.sourceLanguage) ?? a.translations[0];
}

/** Beside the reply box: search the knowledge base, insert a link or the text in the ticket's language. */
export function KbReplySearch({ ticket, insert }: { ticket: Ticket; insert: (text: string) => void }) {
  const { t } = useTranslation();
  const me = useMe().data;
  const { publicUrl } = usePublicAddress();
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState("");
  const [debounced] = useDebouncedValue(q, 250);
  const language = ticket.language ?? me?.organization?.defaultLanguage ?? "en";
  const results = useKbArticles({ q: debounced, language }, open && debounced.trim().length > 1);
  const use = useMutation({
    mutationFn: async ({ hit, as }: { hit: KbArticleSummary; as: "link" | "text" }) => {
      const a = await get<KbArticle>(`/kb/articles/${hit.id}`);
      const tr = translationFor(a, language);
      if (!tr) throw new Error(t("kb.reply.noText"));
      if (as === "link")
        return `${tr.title}: ${publicUrl}/help/${tr.language}/articles/${encodeURIComponent(tr.slug)}`;
      return `${tr.title}\n\n${htmlToPlain(tr.body)}`;
    },
    onSuccess: (text) => {
      insert(text);
      setOpen(false);
      setQ("");
    },
  });
  const items = debounced.trim().length > 1 ? (results.data?.items ?? []) : [];
  return (
    <Popover opened={open} onChange={setOpen} position="top-start" width={420} trapFocus withArrow>
      <Popover.Target>
        <Button variant="default" size="xs" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
          {t("kb.reply.button")}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs">
          <TextInput
            label={t("kb.reply.search", { lang: t(`kb.lang.${language}`, { defaultValue: language }) })}
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            data-autofocus
            size="xs"
          />
          {use.error && <Alert color="red">{use.error.message}</Alert>}
          <ScrollArea.Autosize mah={300}>
            <Stack gap={6} aria-label={t("kb.reply.results")} role="list">
              {items.map((hit) => {
                const tr = hit.translations.find((x) => x.language === language);
                const linkable = hit.visibility !== "internal" && tr?.status === "published";
                return (
                  <Stack key={hit.id} gap={2} role="listitem">
                    <Group justify="space-between" wrap="nowrap" gap={4}>
                      <Text size="sm" fw={500} truncate>
                        {tr?.title ?? hit.title}
                      </Text>
                      {!tr && (
                        <Badge size="xs" color="orange" variant="light">
                          {t("kb.reply.otherLanguage")}
                        </Badge>
                      )}
                      {hit.visibility === "internal" && (
                        <Badge size="xs" color="grape" variant="light">
                          {t("kb.visibility.internal")}
                        </Badge>
                      )}
                    </Group>
                    {hit.snippet && (
                      <Text
                        size="xs"
                        c="dimmed"
                        lineClamp={2}
                        dangerouslySetInnerHTML={{ __html: hit.snippet }}
                      />
                    )}
                    <Group gap={4}>
                      <Button
                        size="compact-xs"
                        variant="light"
                        disabled={!linkable}
                        onClick={() => use.mutate({ hit, as: "link" })}
                      >
                        {t("kb.reply.insertLink")}
                      </Button>
                      <Button
                        size="compact-xs"
                        variant="light"
                        onClick={() => use.mutate({ hit, as: "text" })}
                      >
                        {t("kb.reply.insertText")}
                      </Button>
                    </Group>
                  </Stack>
                );
              })}
              {debounced.trim().length > 1 && results.isSuccess && items.length === 0 && (
                <Text size="sm" c="dimmed">
                  {t("kb.reply.none")}
                </Text>
              )}
            </Stack>
          </ScrollArea.Autosize>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
