import { lazy } from "react";
import type { FeatureExtension } from "../extension.ts";

const SchedulesPage = lazy(() => import("./SchedulesPage.tsx").then((m) => ({ default: m.SchedulesPage })));

/** Scheduled report emails: a page beside the dashboard, for managers and administrators. */
export const extension: FeatureExtension = {
  routes: [{ path: "/reports/schedules", element: <SchedulesPage />, managers: true }],
  nav: [{ to: "/reports/schedules", labelKey: "schedules.nav", managers: true }],
};
