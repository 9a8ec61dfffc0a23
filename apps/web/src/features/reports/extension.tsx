import { lazy } from "react";
import type { FeatureExtension } from "../extension.ts";

const ReportsPage = lazy(() => import("./ReportsPage.tsx").then((m) => ({ default: m.ReportsPage })));

export const extension: FeatureExtension = {
  routes: [{ path: "/reports", element: <ReportsPage />, managers: true }],
  nav: [{ to: "/reports", labelKey: "reports.nav", managers: true }],
};
