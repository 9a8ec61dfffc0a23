import { lazy } from "react";
import type { FeatureExtension } from "../extension.ts";
import { ViewsNav } from "./ViewsNav.tsx";

const Page = lazy(() => import("./ViewRoute.tsx").then((m) => ({ default: m.ViewRoute })));

export const extension: FeatureExtension = {
  routes: [
    { path: "/views/new", element: <Page mode="new" /> },
    { path: "/views/:id", element: <Page mode="show" /> },
    { path: "/views/:id/edit", element: <Page mode="edit" /> },
  ],
  navSections: [ViewsNav],
  bootstrap: [{ part: "customViews", queryKey: ["custom-views"] }],
};
