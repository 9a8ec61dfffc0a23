import { lazy } from "react";
import { useMe } from "../auth/session.ts";
import type { FeatureExtension } from "../extension.ts";
import { CallbackReminders, OverdueBadge } from "./overlays.tsx";
import { CallCard, DossierPhoneActions, TicketPhonePanel } from "./panels.tsx";

const CallbacksPage = lazy(() => import("./CallbacksPage.tsx").then((m) => ({ default: m.CallbacksPage })));

function CallbacksRoute() {
  const me = useMe();
  return me.data ? <CallbacksPage me={me.data} /> : null;
}

export const extension: FeatureExtension = {
  bootstrap: [
    { part: "overdueCallbacks", queryKey: ["callbacks", { status: "open", overdue: true }] },
    { part: "callbackReminders", queryKey: ["callbacks", "reminders"] },
  ],
  routes: [{ path: "/callbacks", element: <CallbacksRoute /> }],
  nav: [{ to: "/callbacks", labelKey: "phone.nav", badge: OverdueBadge }],
  ticketSidebar: [TicketPhonePanel],
  dossierActions: [DossierPhoneActions],
  messageFooter: [CallCard],
  overlays: [CallbackReminders],
};
