import { lazy } from "react";
import type { FeatureExtension } from "../extension.ts";
import { TodayBadge } from "./MorningPlan.tsx";

const TodayPage = lazy(() => import("./TodayPage.tsx").then((m) => ({ default: m.TodayPage })));
const MonthPage = lazy(() => import("./MonthPage.tsx").then((m) => ({ default: m.MonthPage })));
const AbsencesPage = lazy(() => import("./AbsencesPage.tsx").then((m) => ({ default: m.AbsencesPage })));
const SettingsPage = lazy(() => import("./SettingsPage.tsx").then((m) => ({ default: m.SettingsPage })));

export const extension: FeatureExtension = {
  bootstrap: [{ part: "plannerToday", queryKey: ["planner", "today", "me"] }],
  routes: [
    { path: "/planner/today", element: <TodayPage /> },
    { path: "/planner/month", element: <MonthPage /> },
    { path: "/planner/absences", element: <AbsencesPage /> },
    { path: "/planner/settings", element: <SettingsPage /> },
  ],
  nav: [
    { to: "/planner/today", labelKey: "planner.nav.today", badge: TodayBadge },
    { to: "/planner/month", labelKey: "planner.nav.month" },
  ],
};
