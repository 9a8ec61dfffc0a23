import { lazy } from "react";
import type { FeatureExtension } from "../extension.ts";

const RecognitionPage = lazy(() =>
  import("./RecognitionPage.tsx").then((m) => ({ default: m.RecognitionPage })),
);
const RecognitionAdmin = lazy(() =>
  import("./RecognitionAdmin.tsx").then((m) => ({ default: m.RecognitionAdmin })),
);

export const extension: FeatureExtension = {
  routes: [{ path: "/recognition", element: <RecognitionPage /> }],
  nav: [{ to: "/recognition", labelKey: "recognition.nav" }],
  adminSections: [{ key: "recognition", labelKey: "recognition.admin.tab", element: RecognitionAdmin }],
};
