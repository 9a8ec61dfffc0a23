import { lazy } from "react";
import type { FeatureExtension } from "../extension.ts";
import { ContactPromises, TicketPromises } from "./PromisesPanel.tsx";

const MyPromisesPage = lazy(() =>
  import("./MyPromisesPage.tsx").then((m) => ({ default: m.MyPromisesPage })),
);

export const extension: FeatureExtension = {
  routes: [{ path: "/promises", element: <MyPromisesPage /> }],
  nav: [{ to: "/promises", labelKey: "promises.nav" }],
  ticketSidebar: [TicketPromises],
  dossierPanels: [ContactPromises],
};
