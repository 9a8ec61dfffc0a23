import { Alert, Button, Modal, Select, Stack, TextInput } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { post } from "../../lib/api.ts";
import type { Message } from "../../lib/types.ts";
import { categoryName, type KbArticle, useKbCategories, useKbSettings } from "./api.ts";

function MakeArticleForm({ message, onClose }: { message: Message; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const categories = useKbCategories().data?.items ?? [];
  const settings = useKbSettings().data;
  const [categoryId, setCategoryId] = useState<string | null>(null);
  const [language, setLanguage] = useState<string | null>(null);
  const [title, setTitle] = useState("");
  const lang = language ?? settings?.defaultLanguage ?? "en";
  const create = useMutation({
    mutationFn: () =>
      post<KbArticle>("/kb/articles", {
        categoryId,
        language: lang,
        title,
        body:
          message.bodyHtml ||
          message.bodyText
            .split(/\n{2,}/)
            .map(
              (p) =>
                `<p>${p.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c] ?? c)}</p>`,
            )
            .join(""),
        status: "draft",
        note: t("kb.fromReply"),
      }),
    onSuccess: (a) => navigate(`/kb/articles/${a.id}`),
  });
  return (
    <Stack>
      <TextInput
        label={t("kb.articleTitle")}
        value={title}
        onChange={(e) => setTitle(e.currentTarget.value)}
        required
        data-autofocus
        maxLength={300}
      />
      <Select
        label={t("kb.category")}
        required
        data={categories.map((c) => ({ value: c.id, label: categoryName(c, i18n.language) }))}
        value={categoryId}
        onChange={setCategoryId}
      />
      <Select
        label={t("kb.language")}
        data={(settings?.languages ?? []).map((l) => ({
          value: l,
          label: t(`kb.lang.${l}`, { defaultValue: l }),
        }))}
        value={lang}
        onChange={setLanguage}
        allowDeselect={false}
      />
      {create.error && <Alert color="red">{create.error.message}</Alert>}
      <Button
        onClick={() => create.mutate()}
        loading={create.isPending}
        disabled={!categoryId || !title.trim()}
      >
        {t("kb.saveDraft")}
      </Button>
      <Button variant="subtle" onClick={onClose}>
        {t("kb.cancel")}
      </Button>
    </Stack>
  );
}

/** Under an agent's reply: turn it into a draft article. */
export function MakeArticle({ message }: { message: Message }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (message.author.type !== "agent" || message.internal) return null;
  return (
    <>
      <Button size="compact-xs" variant="subtle" onClick={() => setOpen(true)}>
        {t("kb.makeArticle")}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t("kb.makeArticle")}>
        {open && <MakeArticleForm message={message} onClose={() => setOpen(false)} />}
      </Modal>
    </>
  );
}
