import { lazy, Suspense } from "react";
import type { FeatureExtension } from "../extension.ts";
import { TicketCompensation } from "./TicketCompensation.tsx";

const ApprovalsPage = lazy(() => import("./ApprovalsPage.tsx").then((m) => ({ default: m.ApprovalsPage })));
const ReportPage = lazy(() => import("./ReportPage.tsx").then((m) => ({ default: m.ReportPage })));
const LimitsAdmin = lazy(() => import("./LimitsAdmin.tsx"));
const Admin = () => (
  <Suspense fallback={null}>
    <LimitsAdmin />
  </Suspense>
);

export const extension: FeatureExtension = {
  routes: [
    { path: "/approvals", element: <ApprovalsPage /> },
    { path: "/reports/compensation", element: <ReportPage /> },
  ],
  nav: [{ to: "/approvals", labelKey: "compensations.approvals" }],
  ticketSidebar: [TicketCompensation],
  adminSections: [
    { key: "approval-limits", labelKey: "compensations.limitsTitle", element: Admin, managers: true },
  ],
};
