import { lazy, Suspense } from "react";
import type { FeatureExtension } from "../extension.ts";
import { SlaPanel } from "./SlaPanel.tsx";
import { TicketSlaHeader } from "./TicketSlaHeader.tsx";

const SlaAdmin = lazy(() => import("./SlaAdmin.tsx"));

export const extension: FeatureExtension = {
  ticketHeader: [TicketSlaHeader],
  ticketSidebar: [SlaPanel],
  adminSections: [
    {
      key: "sla",
      labelKey: "sla.admin",
      element: () => (
        <Suspense fallback={null}>
          <SlaAdmin />
        </Suspense>
      ),
    },
  ],
};
