import {
  Alert,
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { get, patch, post } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import { usePublicAddress } from "../../lib/publicAddress.ts";
import { useMe } from "../auth/session.ts";
import {
  categoryName,
  KB_VISIBILITIES,
  type KbArticle,
  type KbDiff,
  type KbTranslation,
  type KbVisibility,
  useKbArticle,
  useKbCategories,
  useKbSettings,
  useKbVersions,
} from "./api.ts";
import { isManager, STATUS_COLOR } from "./KbPage.tsx";
import { RichEditor } from "./RichEditor.tsx";
import "./kb.css";

/** Read-only article HTML (already sanitized by the server). */
function ArticleView({ html, lang }: { html: string; lang: string }) {
  return <div className="kb-view" lang={lang} dangerouslySetInnerHTML={{ __html: html }} />;
}

function DiffView({ id, versionId, onClose }: { id: string; versionId: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const diff = useQuery({
    queryKey: ["kb", "diff", id, versionId],
    queryFn: () => get<KbDiff>(`/kb/articles/${id}/versions/${versionId}/diff`),
    enabled: versionId !== null,
  });
  const ops = (xs: KbDiff["body"]) =>
    xs.map((o, i) =>
      o.op === "insert" ? (
        <ins key={i}>{o.text}</ins>
      ) : o.op === "delete" ? (
        <del key={i}>{o.text}</del>
      ) : (
        <span key={i}>{o.text}</span>
      ),
    );
  return (
    <Modal opened={versionId !== null} onClose={onClose} title={t("kb.history.diff")} size="xl">
      {diff.data && (
        <Stack className="kb-diff">
          <Text size="sm" c="dimmed">
            {t("kb.history.between", { from: diff.data.from?.version ?? 0, to: diff.data.to.version })}
          </Text>
          <Text fw={600}>{ops(diff.data.title)}</Text>
          <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
            {ops(diff.data.body)}
          </Text>
        </Stack>
      )}
    </Modal>
  );
}

function History({ article, language }: { article: KbArticle; language: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const versions = useKbVersions(article.id, language);
  const [diffOf, setDiffOf] = useState<number | null>(null);
  const restore = useMutation({
    mutationFn: (v: number) => post<KbArticle>(`/kb/articles/${article.id}/versions/${v}/restore`),
    onSuccess: (a) => {
      qc.setQueryData(["kb", "article", article.id], a);
      void qc.invalidateQueries({ queryKey: ["kb"] });
    },
  });
  return (
    <Stack gap="xs">
      <Title order={2} size="h5">
        {t("kb.history.title")}
      </Title>
      {restore.error && <Alert color="red">{restore.error.message}</Alert>}
      <Table.ScrollContainer minWidth={480}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>#</Table.Th>
              <Table.Th>{t("kb.history.change")}</Table.Th>
              <Table.Th>{t("kb.history.who")}</Table.Th>
              <Table.Th>{t("kb.history.when")}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(versions.data?.items ?? []).map((v) => (
              <Table.Tr key={v.id}>
                <Table.Td>{v.version}</Table.Td>
                <Table.Td>
                  {t(`kb.change.${v.change}`, { defaultValue: v.change })}
                  {v.note ? ` · ${v.note}` : ""}
                </Table.Td>
                <Table.Td>{v.actorName}</Table.Td>
                <Table.Td>{formatDateTime(v.createdAt)}</Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Button size="compact-xs" variant="default" onClick={() => setDiffOf(v.id)}>
                      {t("kb.history.diff")}
                    </Button>
                    {article.permissions.edit && (
                      <Button
                        size="compact-xs"
                        variant="default"
                        onClick={() => restore.mutate(v.id)}
                        loading={restore.isPending}
                      >
                        {t("kb.history.restore")}
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <DiffView id={article.id} versionId={diffOf} onClose={() => setDiffOf(null)} />
    </Stack>
  );
}

/** The editor for one language of an article; beside it, the source language's text when translating. */
function TranslationEditor({ article, language }: { article: KbArticle; language: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const me = useMe().data;
  const { publicUrl } = usePublicAddress();
  const tr = article.translations.find((x) => x.language === language);
  const source = article.translations.find((x) => x.language === article.sourceLanguage);
  const [title, setTitle] = useState(tr?.title ?? "");
  const [body, setBody] = useState(tr?.body ?? "");
  const [slug, setSlug] = useState(tr?.slug ?? "");
  const [at, setAt] = useState("");
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    setTitle(tr?.title ?? "");
    setBody(tr?.body ?? "");
    setSlug(tr?.slug ?? "");
  }, [tr?.title, tr?.body, tr?.slug]);
  const done = (a: KbArticle) => {
    qc.setQueryData(["kb", "article", article.id], a);
    void qc.invalidateQueries({ queryKey: ["kb", "articles"] });
    void qc.invalidateQueries({ queryKey: ["kb", "versions", article.id] });
    setSaved(true);
  };
  const save = useMutation({
    mutationFn: (status?: "draft" | "in_review" | "archived") =>
      tr
        ? patch<KbArticle>(`/kb/articles/${article.id}`, {
            language,
            title,
            body,
            ...(slug && slug !== tr.slug ? { slug } : {}),
            ...(status ? { status } : {}),
          })
        : post<KbArticle>(`/kb/articles/${article.id}/translations`, {
            language,
            title,
            body,
            ...(slug ? { slug } : {}),
            ...(status === "in_review" ? { status } : {}),
          }),
    onSuccess: done,
  });
  const publish = useMutation({
    mutationFn: (when?: string) =>
      post<KbArticle>(`/kb/articles/${article.id}/publish`, {
        languages: [language],
        ...(when ? { at: new Date(when).toISOString() } : {}),
      }),
    onSuccess: done,
  });
  const manager = isManager(me?.user.role);
  const translating = language !== article.sourceLanguage && source;
  const error = save.error ?? publish.error;
  const editor = (
    <Stack gap="sm">
      <TextInput
        label={t("kb.articleTitle")}
        value={title}
        onChange={(e) => {
          setTitle(e.currentTarget.value);
          setSaved(false);
        }}
        lang={language}
        maxLength={300}
        required
      />
      <TextInput
        label={t("kb.slug")}
        description={t("kb.slugHint")}
        value={slug}
        onChange={(e) => setSlug(e.currentTarget.value)}
        lang={language}
        maxLength={160}
      />
      <RichEditor
        key={`${language}-${tr?.version ?? 0}`}
        value={body}
        onChange={(h) => {
          setBody(h);
          setSaved(false);
        }}
        label={t("kb.body", { lang: t(`kb.lang.${language}`, { defaultValue: language }) })}
      />
    </Stack>
  );
  return (
    <Stack gap="md">
      <Group gap="xs" wrap="wrap">
        {tr ? (
          <Badge color={STATUS_COLOR[tr.status]} variant="light">
            {t(`kb.status.${tr.status}`)}
          </Badge>
        ) : (
          <Badge color="red" variant="outline">
            {t("kb.flag.missingShort")}
          </Badge>
        )}
        {tr?.outdated && (
          <Badge color="orange" variant="light">
            {t("kb.flag.outdatedShort")}
          </Badge>
        )}
        {tr?.publishAt && (
          <Badge color="blue" variant="light">
            {t("kb.scheduledFor", { date: formatDateTime(tr.publishAt) })}
          </Badge>
        )}
        {tr?.status === "published" && article.visibility !== "internal" && (
          <Anchor
            href={`${publicUrl}/help/${language}/articles/${encodeURIComponent(tr.slug)}`}
            target="_blank"
            size="sm"
          >
            {t("kb.viewPublic")}
          </Anchor>
        )}
      </Group>
      {translating ? (
        <Grid>
          <Grid.Col span={{ base: 12, md: 6 }}>
            <Paper withBorder p="sm" aria-label={t("kb.sourceText")} component="section">
              <Text size="xs" c="dimmed">
                {t("kb.sourceText")} · {t(`kb.lang.${source.language}`, { defaultValue: source.language })}
              </Text>
              <Title order={2} size="h4" lang={source.language}>
                {source.title}
              </Title>
              <ArticleView html={source.body} lang={source.language} />
            </Paper>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6 }}>{editor}</Grid.Col>
        </Grid>
      ) : (
        editor
      )}
      {error && <Alert color="red">{error.message}</Alert>}
      {saved && !error && (
        <Text size="sm" c="green.8" role="status">
          {t("kb.saved")}
        </Text>
      )}
      <Group gap="xs" wrap="wrap">
        <Button onClick={() => save.mutate(undefined)} loading={save.isPending} disabled={!title.trim()}>
          {tr ? t("kb.save") : t("kb.createTranslation")}
        </Button>
        {(!tr || tr.status === "draft") && (
          <Button variant="default" onClick={() => save.mutate("in_review")} disabled={!title.trim()}>
            {t("kb.submitReview")}
          </Button>
        )}
        {tr && tr.status !== "draft" && tr.status !== "published" && (
          <Button variant="default" onClick={() => save.mutate("draft")}>
            {t("kb.backToDraft")}
          </Button>
        )}
        {manager && tr && (
          <>
            <Button color="teal.9" onClick={() => publish.mutate(undefined)} loading={publish.isPending}>
              {t("kb.publishNow")}
            </Button>
            <TextInput
              type="datetime-local"
              aria-label={t("kb.publishAt")}
              value={at}
              onChange={(e) => setAt(e.currentTarget.value)}
              w={210}
            />
            <Button variant="default" disabled={!at} onClick={() => publish.mutate(at)}>
              {t("kb.schedule")}
            </Button>
            {tr.status !== "archived" && (
              <Button variant="subtle" color="red" onClick={() => save.mutate("archived")}>
                {t("kb.archive")}
              </Button>
            )}
          </>
        )}
      </Group>
      {tr && <History article={article} language={language} />}
    </Stack>
  );
}

function NewArticle() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const categories = useKbCategories().data?.items ?? [];
  const settings = useKbSettings().data;
  const [categoryId, setCategoryId] = useState<string | null>(null);
  const [language, setLanguage] = useState<string | null>(null);
  const [visibility, setVisibility] = useState<KbVisibility>("public");
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  const lang = language ?? settings?.defaultLanguage ?? "en";
  const create = useMutation({
    mutationFn: () =>
      post<KbArticle>("/kb/articles", { categoryId, language: lang, visibility, title, body }),
    onSuccess: (a) => navigate(`/kb/articles/${a.id}`, { replace: true }),
  });
  return (
    <Stack p="md" gap="md" maw={960}>
      <Anchor component={Link} to="/kb" size="sm">
        ← {t("kb.title")}
      </Anchor>
      <Title order={1} size="h3">
        {t("kb.newArticle")}
      </Title>
      <Group gap="sm" wrap="wrap">
        <Select
          label={t("kb.category")}
          required
          data={categories.map((c) => ({ value: c.id, label: categoryName(c, i18n.language) }))}
          value={categoryId}
          onChange={setCategoryId}
          w={240}
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
          w={180}
        />
        <Select
          label={t("kb.visibilityLabel")}
          data={KB_VISIBILITIES.map((v) => ({ value: v, label: t(`kb.visibility.${v}`) }))}
          value={visibility}
          onChange={(v) => setVisibility((v as KbVisibility) ?? "public")}
          allowDeselect={false}
          w={200}
        />
      </Group>
      <TextInput
        label={t("kb.articleTitle")}
        value={title}
        onChange={(e) => setTitle(e.currentTarget.value)}
        lang={lang}
        required
        maxLength={300}
      />
      <RichEditor
        value={body}
        onChange={setBody}
        label={t("kb.body", { lang: t(`kb.lang.${lang}`, { defaultValue: lang }) })}
      />
      {create.error && <Alert color="red">{create.error.message}</Alert>}
      <Group>
        <Button
          onClick={() => create.mutate()}
          loading={create.isPending}
          disabled={!categoryId || !title.trim()}
        >
          {t("kb.saveDraft")}
        </Button>
      </Group>
    </Stack>
  );
}

/** /kb/new and /kb/articles/:id: write an article, translate it side by side, publish, see its history. */
export default function ArticlePage() {
  const { id } = useParams();
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const article = useKbArticle(id);
  const settings = useKbSettings().data;
  const categories = useKbCategories().data?.items ?? [];
  const [tab, setTab] = useState<string | null>(null);
  const props = useMutation({
    mutationFn: (p: { visibility?: KbVisibility; categoryId?: string }) =>
      patch<KbArticle>(`/kb/articles/${id}`, p),
    onSuccess: (a) => {
      qc.setQueryData(["kb", "article", id], a);
      void qc.invalidateQueries({ queryKey: ["kb", "articles"] });
    },
  });
  if (!id) return <NewArticle />;
  const a = article.data;
  if (article.error)
    return (
      <Alert color="red" m="md">
        {article.error.message}
      </Alert>
    );
  if (!a) return null;
  const languages = [
    ...new Set([a.sourceLanguage, ...(settings?.languages ?? []), ...a.translations.map((x) => x.language)]),
  ];
  const active = tab ?? a.sourceLanguage;
  const flag = (l: string): KbTranslation | undefined => a.translations.find((x) => x.language === l);
  const source = flag(a.sourceLanguage);
  return (
    <Stack p="md" gap="md">
      <Anchor component={Link} to="/kb" size="sm">
        ← {t("kb.title")}
      </Anchor>
      <Title order={1} size="h3" lang={a.sourceLanguage}>
        {source?.title ?? ""}
      </Title>
      <Group gap="sm" wrap="wrap">
        <Select
          label={t("kb.category")}
          data={categories.map((c) => ({ value: c.id, label: categoryName(c, i18n.language) }))}
          value={a.categoryId}
          onChange={(v) => v && props.mutate({ categoryId: v })}
          allowDeselect={false}
          disabled={!a.permissions.edit}
          w={240}
        />
        <Select
          label={t("kb.visibilityLabel")}
          data={KB_VISIBILITIES.map((v) => ({ value: v, label: t(`kb.visibility.${v}`) }))}
          value={a.visibility}
          onChange={(v) => v && props.mutate({ visibility: v as KbVisibility })}
          allowDeselect={false}
          disabled={!a.permissions.edit}
          w={200}
        />
        <Text size="sm" c="dimmed" mt={20}>
          {t("kb.helpfulCount", { yes: a.helpful.yes, total: a.helpful.yes + a.helpful.no })}
        </Text>
      </Group>
      {props.error && <Alert color="red">{props.error.message}</Alert>}
      <Tabs value={active} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          {languages.map((l) => {
            const tr = flag(l);
            return (
              <Tabs.Tab
                key={l}
                value={l}
                rightSection={
                  !tr ? (
                    <Badge size="xs" color="red.9" variant="outline">
                      {t("kb.flag.missingShort")}
                    </Badge>
                  ) : tr.outdated ? (
                    <Badge size="xs" color="orange" variant="light">
                      {t("kb.flag.outdatedShort")}
                    </Badge>
                  ) : (
                    <Badge size="xs" color={STATUS_COLOR[tr.status]} variant="light">
                      {t(`kb.status.${tr.status}`)}
                    </Badge>
                  )
                }
              >
                {t(`kb.lang.${l}`, { defaultValue: l })}
                {l === a.sourceLanguage ? ` (${t("kb.source")})` : ""}
              </Tabs.Tab>
            );
          })}
        </Tabs.List>
        {languages.map((l) => (
          <Tabs.Panel key={l} value={l} pt="md">
            <TranslationEditor article={a} language={l} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
