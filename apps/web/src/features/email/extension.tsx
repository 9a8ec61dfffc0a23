import { lazy, Suspense } from "react";
import type { FeatureExtension } from "../extension.ts";

const EmailAdmin = lazy(() => import("./EmailAdmin.tsx"));

export const extension: FeatureExtension = {
  adminSections: [
    {
      key: "email",
      labelKey: "email.admin",
      element: () => (
        <Suspense fallback={null}>
          <EmailAdmin />
        </Suspense>
      ),
    },
  ],
};
