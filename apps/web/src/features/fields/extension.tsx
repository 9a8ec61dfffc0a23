import type { FeatureExtension } from "../extension.ts";
import { FieldsAdmin } from "./FieldsAdmin.tsx";
import { ContactFieldsPanel, TicketFieldsPanel } from "./panels.tsx";

export const extension: FeatureExtension = {
  bootstrap: [{ part: "ticketFields", queryKey: ["fields", "ticket", "false"] }],
  adminSections: [{ key: "fields", labelKey: "fields.admin.title", element: FieldsAdmin }],
  ticketSidebar: [TicketFieldsPanel],
  dossierPanels: [ContactFieldsPanel],
};
