/** Knowledge-base hooks; the REST shapes come from the server's schemas (@rapport/server/contract). */

import type {
  KbArticle,
  KbArticleList,
  KbCategory,
  KbCategoryList,
  KbDiff,
  KbSettings,
  KbVersionList,
} from "@rapport/server/contract";
import { useQuery } from "@tanstack/react-query";
import { get, qs } from "../../lib/api.ts";

export type KbStatus = "draft" | "in_review" | "published" | "archived";
export type KbVisibility = "public" | "customers" | "internal";
export const KB_STATUSES: KbStatus[] = ["draft", "in_review", "published", "archived"];
export const KB_VISIBILITIES: KbVisibility[] = ["public", "customers", "internal"];

export type {
  KbArticle,
  KbArticleSummary,
  KbCategory,
  KbDiff,
  KbSettings,
  KbStats,
  KbTranslation,
  KbVersion,
} from "@rapport/server/contract";
export type DiffOp = KbDiff["title"][number];

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
    queryFn: () => get<KbCategoryList>("/kb/categories"),
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
    queryFn: () => get<KbArticleList>(`/kb/articles${qs({ ...f, q: f.q?.trim() || undefined, limit: 100 })}`),
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
    queryFn: () => get<KbVersionList>(`/kb/articles/${id}/versions${qs({ language })}`),
  });
}

/** Plain text of sanitized article HTML (for inserting an article into a reply). */
export function htmlToPlain(html: string): string {
  const doc = new DOMParser().parseFromString(html, "text/html");
  for (const el of doc.querySelectorAll("p, li, h1, h2, h3, h4, tr, div, pre, blockquote"))
    el.append(doc.createTextNode("\n"));
  return (doc.body.textContent ?? "").replace(/\n{3,}/g, "\n\n").trim();
}
