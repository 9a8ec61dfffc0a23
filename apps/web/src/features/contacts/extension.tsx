import { lazy } from "react";
import type { FeatureExtension } from "../extension.ts";

const ContactsListPage = lazy(() => import("./ListPages.tsx").then((m) => ({ default: m.ContactsListPage })));
const OrganizationsListPage = lazy(() =>
  import("./ListPages.tsx").then((m) => ({ default: m.OrganizationsListPage })),
);
const OrganizationPage = lazy(() =>
  import("./OrganizationPage.tsx").then((m) => ({ default: m.OrganizationPage })),
);

/** Contacts and organizations: the lists (searchable, filtered by custom fields) and an organization's page. */
export const extension: FeatureExtension = {
  routes: [
    { path: "/contacts", element: <ContactsListPage /> },
    { path: "/organizations", element: <OrganizationsListPage /> },
    { path: "/organizations/:id", element: <OrganizationPage /> },
  ],
  nav: [
    { to: "/contacts", labelKey: "fields.nav.contacts" },
    { to: "/organizations", labelKey: "fields.nav.organizations" },
  ],
};
