import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  NavLink,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { post } from "../../lib/api.ts";
import { formatRelative } from "../../lib/format.ts";
import { useMe } from "../auth/session.ts";
import {
  type ArticleFilter,
  categoryName,
  KB_STATUSES,
  type KbArticleSummary,
  type KbCategory,
  type KbStatus,
  useKbArticles,
  useKbCategories,
  useKbSettings,
} from "./api.ts";
import "./kb.css";

export const STATUS_COLOR: Record<KbStatus, string> = {
  draft: "gray",
  in_review: "yellow",
  published: "green",
  archived: "dark",
};

export const isManager = (role: string | undefined) => role === "admin" || role === "manager";

/** One badge per help-centre language: its status, outdated or missing. */
export function TranslationFlags({ a, languages }: { a: KbArticleSummary; languages: string[] }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="wrap">
      {languages.map((l) => {
        const tr = a.translations.find((x) => x.language === l);
        const label = !tr
          ? t("kb.flag.missing", { lang: t(`kb.lang.${l}`, { defaultValue: l }) })
          : tr.outdated
            ? t("kb.flag.outdated", { lang: t(`kb.lang.${l}`, { defaultValue: l }) })
            : `${t(`kb.lang.${l}`, { defaultValue: l })}: ${t(`kb.status.${tr.status}`)}`;
        return (
          <Tooltip key={l} label={label}>
            <Badge
              size="sm"
              variant={tr ? "light" : "outline"}
              // Dark shade for the outline "missing" badge: the default red fails contrast on white.
              color={!tr ? "red.9" : tr.outdated ? "orange" : STATUS_COLOR[tr.status]}
              aria-label={label}
            >
              {l}
              {!tr ? " ∅" : tr.outdated ? " !" : ""}
            </Badge>
          </Tooltip>
        );
      })}
    </Group>
  );
}

function CategoryModal({
  opened,
  onClose,
  categories,
}: {
  opened: boolean;
  onClose: () => void;
  categories: KbCategory[];
}) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const settings = useKbSettings().data;
  const [names, setNames] = useState<Record<string, string>>({});
  const [parentId, setParentId] = useState<string | null>(null);
  const [faq, setFaq] = useState(false);
  const create = useMutation({
    mutationFn: () =>
      post<KbCategory>("/kb/categories", {
        parentId,
        faq,
        names: Object.fromEntries(
          Object.entries(names)
            .filter(([, v]) => v.trim())
            .map(([l, v]) => [l, { name: v.trim() }]),
        ),
      }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ["kb", "categories"] });
      setNames({});
      onClose();
    },
  });
  return (
    <Modal opened={opened} onClose={onClose} title={t("kb.newCategory")}>
      <Stack>
        {(settings?.languages ?? ["en", "vi", "km", "ta"]).map((l) => (
          <TextInput
            key={l}
            lang={l}
            label={t("kb.categoryName", { lang: t(`kb.lang.${l}`, { defaultValue: l }) })}
            value={names[l] ?? ""}
            onChange={(e) => setNames({ ...names, [l]: e.currentTarget.value })}
            maxLength={200}
          />
        ))}
        <Select
          label={t("kb.parentCategory")}
          clearable
          data={categories
            .filter((c) => !c.parentId)
            .map((c) => ({ value: c.id, label: categoryName(c, i18n.language) }))}
          value={parentId}
          onChange={setParentId}
        />
        <Checkbox label={t("kb.faqMode")} checked={faq} onChange={(e) => setFaq(e.currentTarget.checked)} />
        {create.error && <Alert color="red">{create.error.message}</Alert>}
        <Button
          onClick={() => create.mutate()}
          loading={create.isPending}
          disabled={!Object.values(names).some((v) => v.trim())}
        >
          {t("kb.create")}
        </Button>
      </Stack>
    </Modal>
  );
}

/** /kb: categories and sections, the article list with status and translation flags. */
export default function KbPage() {
  const { t, i18n } = useTranslation();
  const me = useMe().data;
  const navigate = useNavigate();
  const settings = useKbSettings().data;
  const categories = useKbCategories().data?.items ?? [];
  const [filter, setFilter] = useState<ArticleFilter>({});
  const [catOpen, setCatOpen] = useState(false);
  const articles = useKbArticles(filter);
  const languages = settings?.languages ?? ["en", "vi", "km", "ta"];
  const manager = isManager(me?.user.role);
  const roots = categories.filter((c) => !c.parentId);
  const langLabel = (l: string) => t(`kb.lang.${l}`, { defaultValue: l });
  return (
    <Stack p="md" gap="md">
      <Group justify="space-between" wrap="wrap">
        <Title order={1} size="h3">
          {t("kb.title")}
        </Title>
        <Group gap="xs" wrap="wrap">
          {manager && (
            <Button variant="default" component={Link} to="/kb/stats">
              {t("kb.stats.title")}
            </Button>
          )}
          {manager && (
            <Button variant="default" onClick={() => setCatOpen(true)}>
              {t("kb.newCategory")}
            </Button>
          )}
          <Button onClick={() => navigate("/kb/new")} disabled={categories.length === 0}>
            {t("kb.newArticle")}
          </Button>
        </Group>
      </Group>
      <Group align="flex-start" gap="lg" wrap="wrap">
        <Stack gap={2} w={{ base: "100%", sm: 220 }} component="nav" aria-label={t("kb.categories")}>
          <NavLink
            label={t("kb.allCategories")}
            active={!filter.categoryId}
            onClick={() => setFilter({ ...filter, categoryId: undefined })}
          />
          {/* Sections follow their category as indented links (a nested NavLink's collapse
              control carried an aria-controls axe refused). */}
          {roots.flatMap((c) => [
            <NavLink
              key={c.id}
              label={categoryName(c, i18n.language)}
              description={c.faq ? t("kb.faq") : undefined}
              rightSection={
                <Badge size="xs" variant="light">
                  {c.articleCount}
                </Badge>
              }
              active={filter.categoryId === c.id}
              onClick={() => setFilter({ ...filter, categoryId: c.id })}
            />,
            ...categories
              .filter((s) => s.parentId === c.id)
              .map((s) => (
                <NavLink
                  key={s.id}
                  pl="xl"
                  label={categoryName(s, i18n.language)}
                  active={filter.categoryId === s.id}
                  onClick={() => setFilter({ ...filter, categoryId: s.id })}
                />
              )),
          ])}
          {categories.length === 0 && (
            <Text size="sm" c="dimmed">
              {t("kb.noCategories")}
            </Text>
          )}
        </Stack>
        <Stack style={{ flex: 1, minWidth: 0 }} gap="sm">
          <Group gap="sm" wrap="wrap" align="flex-end">
            <TextInput
              label={t("kb.search")}
              value={filter.q ?? ""}
              onChange={(e) => setFilter({ ...filter, q: e.currentTarget.value })}
              style={{ flex: 1, minWidth: 180 }}
            />
            <Select
              label={t("kb.statusLabel")}
              clearable
              data={KB_STATUSES.map((s) => ({ value: s, label: t(`kb.status.${s}`) }))}
              value={filter.status ?? null}
              onChange={(v) => setFilter({ ...filter, status: (v as KbStatus | null) ?? undefined })}
              w={160}
            />
            <Select
              label={t("kb.language")}
              clearable
              data={languages.map((l) => ({ value: l, label: langLabel(l) }))}
              value={filter.language ?? null}
              onChange={(v) =>
                setFilter({
                  ...filter,
                  language: v ?? undefined,
                  needsTranslation: v ? filter.needsTranslation : undefined,
                })
              }
              w={160}
            />
            <Checkbox
              label={t("kb.needsTranslation")}
              disabled={!filter.language}
              checked={filter.needsTranslation === "true"}
              onChange={(e) =>
                setFilter({ ...filter, needsTranslation: e.currentTarget.checked ? "true" : undefined })
              }
              mb={8}
            />
          </Group>
          {articles.error && <Alert color="red">{articles.error.message}</Alert>}
          <Table.ScrollContainer minWidth={560}>
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("kb.articleTitle")}</Table.Th>
                  <Table.Th>{t("kb.statusLabel")}</Table.Th>
                  <Table.Th>{t("kb.translations")}</Table.Th>
                  <Table.Th>{t("kb.updated")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(articles.data?.items ?? []).map((a) => (
                  <Table.Tr key={a.id}>
                    <Table.Td>
                      <Link to={`/kb/articles/${a.id}`}>{a.title}</Link>
                      {a.visibility !== "public" && (
                        <Badge ml={6} size="xs" color="grape" variant="light">
                          {t(`kb.visibility.${a.visibility}`)}
                        </Badge>
                      )}
                      {a.snippet && (
                        <Text size="xs" c="dimmed" dangerouslySetInnerHTML={{ __html: a.snippet }} />
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Badge color={STATUS_COLOR[a.status]} variant="light">
                        {t(`kb.status.${a.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <TranslationFlags a={a} languages={languages} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatRelative(a.updatedAt)}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {articles.data?.items.length === 0 && (
            <Text c="dimmed" size="sm">
              {t("kb.noArticles")}
            </Text>
          )}
        </Stack>
      </Group>
      <CategoryModal opened={catOpen} onClose={() => setCatOpen(false)} categories={categories} />
    </Stack>
  );
}
