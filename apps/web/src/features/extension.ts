import type { QueryKey } from "@tanstack/react-query";
import type { ComponentType, ReactNode } from "react";
import type { Me, Message, Ticket } from "../lib/types.ts";

/**
 * What a feature folder plugs into the shared screens. Each feature exports one
 * `extension` from `features/<name>/extension.tsx`; `features/extensions.ts` lists them,
 * and the shell (routes, navigation, admin tabs, ticket page) only walks that list.
 */
export interface FeatureExtension {
  /** Pages inside the signed-in layout; `element` should be a lazy component. */
  routes?: Array<{ path: string; element: ReactNode; adminOnly?: boolean; managers?: boolean }>;
  /** Pages that need no sign-in (the public web form). */
  publicRoutes?: Array<{ path: string; element: ReactNode }>;
  /** Sections of the left navigation after the team views (custom views with their counts). */
  navSections?: Array<ComponentType<{ me: Me; onNavigate: () => void }>>;
  /**
   * Links in the left navigation, below the views. `labelKey` is a catalog key; `managers`:
   * administrators and managers only (what the server refuses plain agents).
   */
  nav?: Array<{
    to: string;
    labelKey: string;
    adminOnly?: boolean;
    managers?: boolean;
    badge?: ComponentType;
  }>;
  /**
   * Tabs of the admin page at /admin/<key>. Administrators see every tab; managers see the
   * ones marked `managers` (what the server lets them change: routing, rules, shared macros).
   */
  adminSections?: Array<{
    key: string;
    labelKey: string;
    element: ComponentType<{ me: Me }>;
    managers?: boolean;
  }>;
  /** Shown under the ticket's title (SLA countdown, runaround warning...). */
  ticketHeader?: Array<ComponentType<{ ticket: Ticket; me: Me }>>;
  /** Panels in the ticket's right column, between the properties and the customer. */
  ticketSidebar?: Array<ComponentType<{ ticket: Ticket; me: Me }>>;
  /** Tools beside the reply box (macros); `insert` puts text into the reply. */
  replyTools?: Array<ComponentType<{ ticket: Ticket; insert: (text: string) => void }>>;
  /** Above the reply box in public-reply mode (no mailbox can send...). */
  replyNotices?: Array<ComponentType<{ ticket: Ticket }>>;
  /** Under a message in the thread (delivery status...). */
  messageFooter?: Array<ComponentType<{ message: Message }>>;
  /** Panels on a customer's dossier page (custom fields, promises...). */
  dossierPanels?: Array<ComponentType<{ contactId: string; me: Me }>>;
  /** Quick actions on the dossier page (log a call, record a promise...). */
  dossierActions?: Array<ComponentType<{ contactId: string; me: Me }>>;
  /** Always mounted once signed in (chat notifications, availability). */
  overlays?: Array<ComponentType<{ me: Me }>>;
  /**
   * Parts of GET /bootstrap this feature's hooks use: the answer's `parts[part]` primes the
   * query `queryKey` (its hook must keep a `staleTime`, or it would refetch on mount anyway).
   */
  bootstrap?: Array<{ part: string; queryKey: QueryKey }>;
  /** Compact controls in the top bar, before the language picker (my chat availability). */
  headerItems?: Array<ComponentType<{ me: Me }>>;
}
