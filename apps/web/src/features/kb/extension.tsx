import { lazy } from "react";
import type { FeatureExtension } from "../extension.ts";
import { MakeArticle } from "./MakeArticle.tsx";
import { KbReplySearch } from "./ReplySearch.tsx";
import { SeenArticles } from "./SeenArticles.tsx";

const KbPage = lazy(() => import("./KbPage.tsx"));
const ArticlePage = lazy(() => import("./ArticlePage.tsx"));
const StatsPage = lazy(() => import("./StatsPage.tsx"));

/** Knowledge base for editors (docs/knowledge-base.md) and its tools in the ticket. */
export const extension: FeatureExtension = {
  routes: [
    { path: "/kb", element: <KbPage /> },
    { path: "/kb/new", element: <ArticlePage /> },
    { path: "/kb/articles/:id", element: <ArticlePage /> },
    { path: "/kb/stats", element: <StatsPage /> },
  ],
  nav: [{ to: "/kb", labelKey: "kb.title" }],
  replyTools: [KbReplySearch],
  messageFooter: [MakeArticle],
  ticketSidebar: [SeenArticles],
};
