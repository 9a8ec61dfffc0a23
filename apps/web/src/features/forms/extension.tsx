import { lazy, Suspense } from "react";
import type { FeatureExtension } from "../extension.ts";

const SupportFormPage = lazy(() =>
  import("./SupportFormPage.tsx").then((m) => ({ default: m.SupportFormPage })),
);
const AdminForms = lazy(() => import("./AdminForms.tsx"));

export const extension: FeatureExtension = {
  publicRoutes: [{ path: "/support/new", element: <SupportFormPage /> }],
  adminSections: [
    {
      key: "forms",
      labelKey: "forms.admin.tab",
      element: () => (
        <Suspense fallback={null}>
          <AdminForms />
        </Suspense>
      ),
    },
  ],
};
