import { lazy } from "react";
import type { FeatureExtension } from "../extension.ts";
import { Bell } from "./Bell.tsx";

const NotificationsPage = lazy(() => import("./NotificationsPage.tsx"));
const PreferencesPage = lazy(() => import("./PreferencesPage.tsx"));

/** The notification centre: the bell in the top bar, the full list, the user's preferences. */
export const extension: FeatureExtension = {
  headerItems: [Bell],
  bootstrap: [{ part: "notifications", queryKey: ["notifications", "unread"] }],
  routes: [
    { path: "/notifications", element: <NotificationsPage /> },
    { path: "/settings/notifications", element: <PreferencesPage /> },
  ],
};
