import { lazy, Suspense } from "react";
import type { FeatureExtension } from "../extension.ts";
import { TransferHeader } from "./TransferHeader.tsx";
import { TransferPanel } from "./TransferPanel.tsx";

const RoutingAdmin = lazy(() => import("./RoutingAdmin.tsx"));
const RulesAdmin = lazy(() => import("./RulesAdmin.tsx"));
const WebhooksAdmin = lazy(() => import("./WebhooksAdmin.tsx"));

const section = (element: React.ReactNode) => () => <Suspense fallback={null}>{element}</Suspense>;

export const extension: FeatureExtension = {
  ticketHeader: [TransferHeader],
  ticketSidebar: [TransferPanel],
  adminSections: [
    { key: "routing", labelKey: "automations.routing", element: section(<RoutingAdmin />), managers: true },
    {
      key: "triggers",
      labelKey: "automations.triggers",
      element: section(<RulesAdmin kind="triggers" />),
      managers: true,
    },
    {
      key: "time-rules",
      labelKey: "automations.timeRules",
      element: section(<RulesAdmin kind="time-rules" />),
      managers: true,
    },
    { key: "webhooks", labelKey: "automations.webhooks", element: section(<WebhooksAdmin />) },
  ],
};
