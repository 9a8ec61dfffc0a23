import { lazy } from "react";
import type { FeatureExtension } from "../extension.ts";

const DossierPage = lazy(() => import("./DossierPage.tsx").then((m) => ({ default: m.DossierPage })));
const DuplicatesPage = lazy(() =>
  import("../contacts/DuplicatesPage.tsx").then((m) => ({ default: m.DuplicatesPage })),
);

export const extension: FeatureExtension = {
  routes: [
    { path: "/contacts/:id", element: <DossierPage /> },
    { path: "/contacts/:id/duplicates", element: <DuplicatesPage /> },
  ],
};
