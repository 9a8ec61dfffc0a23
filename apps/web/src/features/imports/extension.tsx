import { lazy } from "react";
import type { FeatureExtension } from "../extension.ts";

const ImportPage = lazy(() => import("./ImportWizard.tsx").then((m) => ({ default: m.ImportPage })));
const ImportWizard = lazy(() => import("./ImportWizard.tsx").then((m) => ({ default: m.ImportWizard })));

export const extension: FeatureExtension = {
  routes: [{ path: "/imports", element: <ImportPage />, adminOnly: true }],
  adminSections: [{ key: "imports", labelKey: "imports.title", element: ImportWizard }],
};
