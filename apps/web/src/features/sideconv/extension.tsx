import type { FeatureExtension } from "../extension.ts";
import { SidePanel } from "./SidePanel.tsx";

export const extension: FeatureExtension = {
  ticketSidebar: [SidePanel],
};
