import { lazy, Suspense } from "react";
import type { FeatureExtension } from "../extension.ts";

const ToneReportPage = lazy(() => import("./ReportPage.tsx").then((m) => ({ default: m.ToneReportPage })));
const RulesAdmin = lazy(() => import("./RulesAdmin.tsx"));
const Admin = () => (
  <Suspense fallback={null}>
    <RulesAdmin />
  </Suspense>
);

/** The tone check lives in the reply box and the macro editor; this adds its report and rules. */
export const extension: FeatureExtension = {
  routes: [{ path: "/reports/tone", element: <ToneReportPage /> }],
  adminSections: [{ key: "tone-rules", labelKey: "tone.rules.title", element: Admin }],
};
