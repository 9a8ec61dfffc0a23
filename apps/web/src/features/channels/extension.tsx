import { lazy, Suspense } from "react";
import type { FeatureExtension } from "../extension.ts";

const ChannelsAdmin = lazy(() => import("./ChannelsAdmin.tsx"));

export const extension: FeatureExtension = {
  adminSections: [
    {
      key: "channels",
      labelKey: "channels.admin.tab",
      element: () => (
        <Suspense fallback={null}>
          <ChannelsAdmin />
        </Suspense>
      ),
    },
  ],
};
