import { lazy } from "react";
import type { FeatureExtension } from "../extension.ts";
import { FieldsAdmin } from "./FieldsAdmin.tsx";
import { ContactFieldsPanel, TicketFieldsPanel } from "./panels.tsx";

const ContactsListPage = lazy(() => import("./ListPages.tsx").then((m) => ({ default: m.ContactsListPage })));
const OrganizationsListPage = lazy(() =>
  import("./ListPages.tsx").then((m) => ({ default: m.OrganizationsListPage })),
);
const OrganizationPage = lazy(() =>
  import("./OrganizationPage.tsx").then((m) => ({ default: m.OrganizationPage })),
);

export const extension: FeatureExtension = {
  bootstrap: [{ part: "ticketFields", queryKey: ["fields", "ticket", "false"] }],
  routes: [
    { path: "/contacts", element: <ContactsListPage /> },
    { path: "/organizations", element: <OrganizationsListPage /> },
    { path: "/organizations/:id", element: <OrganizationPage /> },
  ],
  nav: [
    { to: "/contacts", labelKey: "fields.nav.contacts" },
    { to: "/organizations", labelKey: "fields.nav.organizations" },
  ],
  adminSections: [{ key: "fields", labelKey: "fields.admin.title", element: FieldsAdmin }],
  ticketSidebar: [TicketFieldsPanel],
  dossierPanels: [ContactFieldsPanel],
};
