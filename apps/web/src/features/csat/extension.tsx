import { lazy } from "react";
import type { FeatureExtension } from "../extension.ts";
import { TicketCsatBadge } from "./CsatBadge.tsx";

const SurveyAdmin = lazy(() => import("./SurveyAdmin.tsx").then((m) => ({ default: m.SurveyAdmin })));

export const extension: FeatureExtension = {
  ticketHeader: [TicketCsatBadge],
  adminSections: [{ key: "surveys", labelKey: "csat.admin.tab", element: SurveyAdmin }],
};
