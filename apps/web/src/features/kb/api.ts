/** Knowledge-base REST shapes (mirrors of apps/server/src/modules/kb/kb.schema.ts) and hooks. */
import { useQuery } from "@tanstack/react-query";
import { get, qs } from "../../lib/api.ts";

export type KbStatus = "draft" | "in_review" | "published" | "archived";
export type KbVisibility = "public" | "customers" | "internal";
export const KB_STATUSES: KbStatus[] = ["draft", "in_review", "published", "archived"];
export const KB_VISIBILITIES: KbVisibility[] = ["public", "customers", "internal"];

export type KbCategory = {
  id: string;
  parentId: string | null;
  slug: string;
  position: number;
  faq: boolean;
  names: Record<string, { name: string; description?: string }>;
  articleCount: number;
};
export type KbTranslation = {
  language: string;
  slug: string;
  title: string;
  body: string;
  status: KbStatus;
  publishAt: string | null;
  publishedAt: string | null;
  version: number;
  outdated: boolean;
  views: number;
  updatedAt: string;
  updatedBy: string | null;
};
export type KbArticle = {
  id: string;
  categoryId: string;
  visibility: KbVisibility;
  sourceLanguage: string;
  position: number;
  createdAt: string;
  updatedAt: string;
  translations: KbTranslation[];
  missingLanguages: string[];
  helpful: { yes: number; no: number };
  permissions: { edit: boolean; publish: boolean; delete: boolean };
};
export type KbArticleSummary = {
  id: string;
  categoryId: string;
  visibility: KbVisibility;
  sourceLanguage: string;
  title: string;
  status: KbStatus;
  updatedAt: string;
  translations: Array<{ language: string; slug: string; title: string; status: KbStatus; outdated: boolean }>;
  missingLanguages: string[];
  snippet?: string;
};
export type KbVersion = {
  id: number;
  language: string;
  version: number;
  title: string;
  status: KbStatus;
  change: string;
  note: string | null;
  actorName: string;
  createdAt: string;
};
export type DiffOp = { op: "equal" | "insert" | "delete"; text: string };
export type KbDiff = { from: KbVersion | null; to: KbVersion; title: DiffOp[]; body: DiffOp[] };
export type KbSettings = {
  languages: string[];
  defaultLanguage: string;
  logoUrl: string | null;
  color: string;
};
export type KbStats = {
  since: string;
  articles: Array<{ id: string; language: string; title: string; views: number; yes: number; no: number }>;
  topSearches: Array<{ query: string; language: string; count: number; results: number }>;
  contentGaps: Array<{ query: string; language: string; count: number }>;
  byLanguage: Array<{
    language: string;
    published: number;
    views: number;
    yes: number;
    no: number;
    searches: number;
    gaps: number;
  }>;
};

export const categoryName = (c: KbCategory | undefined, lang: string) =>
  c ? (c.names[lang]?.name ?? c.names.en?.name ?? Object.values(c.names)[0]?.name ?? c.slug) : "";

export function useKbSettings() {
  return useQuery({
    queryKey: ["kb", "settings"],
    queryFn: () => get<KbSettings>("/kb/settings"),
    staleTime: 60_000,
  });
}

export function useKbCategories() {
  return useQuery({
    queryKey: ["kb", "categories"],
    queryFn: () => get<{ items: KbCategory[] }>("/kb/categories"),
    staleTime: 30_000,
  });
}

export type ArticleFilter = {
  categoryId?: string;
  status?: KbStatus;
  language?: string;
  needsTranslation?: "true";
  q?: string;
};

export function useKbArticles(f: ArticleFilter, enabled = true) {
  return useQuery({
    queryKey: ["kb", "articles", f],
    queryFn: () =>
      get<{ items: KbArticleSummary[]; nextCursor: string | null }>(
        `/kb/articles${qs({ ...f, q: f.q?.trim() || undefined, limit: 100 })}`,
      ),
    enabled,
    staleTime: 10_000,
  });
}

export function useKbArticle(id: string | undefined) {
  return useQuery({
    queryKey: ["kb", "article", id],
    queryFn: () => get<KbArticle>(`/kb/articles/${id}`),
    enabled: !!id,
  });
}

export function useKbVersions(id: string, language: string) {
  return useQuery({
    queryKey: ["kb", "versions", id, language],
    queryFn: () => get<{ items: KbVersion[] }>(`/kb/articles/${id}/versions${qs({ language })}`),
  });
}

/** Plain text of sanitized article HTML (for inserting an article into a reply). */
export function htmlToPlain(html: string): string {
  const doc = new DOMParser().parseFromString(html, "text/html");
  for (const el of doc.querySelectorAll("p, li, h1, h2, h3, h4, tr, div, pre, blockquote"))
    el.append(doc.createTextNode("\n"));
  return (doc.body.textContent ?? "").replace(/\n{3,}/g, "\n\n").trim();
}
