import { lazy } from "react";
import type { FeatureExtension } from "../extension.ts";

const ToneReportPage = lazy(() => import("./ReportPage.tsx").then((m) => ({ default: m.ToneReportPage })));

/** The tone check lives in the reply box and the macro editor; this adds its report. */
export const extension: FeatureExtension = {
  routes: [{ path: "/reports/tone", element: <ToneReportPage /> }],
};
