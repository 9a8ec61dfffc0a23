import { lazy } from "react";
import type { FeatureExtension } from "../extension.ts";
import { ContactOrdersPanel, ContactValuePanel, TicketValuePanel } from "./ValuePanels.tsx";

const ValueAdmin = lazy(() => import("./ValueAdmin.tsx").then((m) => ({ default: m.ValueAdmin })));
const MatrixPage = lazy(() => import("./MatrixPage.tsx").then((m) => ({ default: m.MatrixPage })));

export const extension: FeatureExtension = {
  routes: [{ path: "/customer-value", element: <MatrixPage /> }],
  nav: [{ to: "/customer-value", labelKey: "value.nav" }],
  ticketSidebar: [TicketValuePanel],
  dossierPanels: [ContactValuePanel, ContactOrdersPanel],
  adminSections: [{ key: "customer-value", labelKey: "value.admin.tab", element: ValueAdmin }],
};
