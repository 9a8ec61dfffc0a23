import type { FeatureExtension } from "../extension.ts";
import { RelatedPanel } from "./RelatedPanel.tsx";
import { SplitAction } from "./SplitAction.tsx";
import { TicketOpsHeader } from "./TicketOpsHeader.tsx";

export const extension: FeatureExtension = {
  ticketHeader: [TicketOpsHeader],
  ticketSidebar: [RelatedPanel],
  messageFooter: [SplitAction],
};
