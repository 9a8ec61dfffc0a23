import { extension as automations } from "./automations/extension.tsx";
import { extension as channels } from "./channels/extension.tsx";
import { extension as chat } from "./chat/extension.tsx";
import { extension as compensations } from "./compensations/extension.tsx";
import { extension as contacts } from "./contacts/extension.tsx";
import { extension as csat } from "./csat/extension.tsx";
import { extension as customviews } from "./customviews/extension.tsx";
import { extension as dossier } from "./dossier/extension.tsx";
import { extension as email } from "./email/extension.tsx";
import type { FeatureExtension } from "./extension.ts";
import { extension as fields } from "./fields/extension.tsx";
import { extension as forms } from "./forms/extension.tsx";
import { extension as imports } from "./imports/extension.tsx";
import { extension as kb } from "./kb/extension.tsx";
import { extension as macros } from "./macros/extension.tsx";
import { extension as notifications } from "./notifications/extension.tsx";
import { extension as onboarding } from "./onboarding/extension.tsx";
import { extension as phone } from "./phone/extension.tsx";
import { extension as planner } from "./planner/extension.tsx";
import { extension as promises } from "./promises/extension.tsx";
import { extension as recognition } from "./recognition/extension.tsx";
import { extension as reports } from "./reports/extension.tsx";
import { extension as schedules } from "./schedules/extension.tsx";
import { extension as sideconv } from "./sideconv/extension.tsx";
import { extension as sla } from "./sla/extension.tsx";
import { extension as ticketops } from "./ticketops/extension.tsx";
import { extension as tone } from "./tone/extension.tsx";
import { extension as value } from "./value/extension.tsx";

export const extensions: FeatureExtension[] = [
  onboarding,
  email,
  dossier,
  planner,
  contacts,
  fields,
  imports,
  sla,
  promises,
  automations,
  macros,
  chat,
  phone,
  channels,
  forms,
  ticketops,
  compensations,
  customviews,
  notifications,
  value,
  sideconv,
  reports,
  schedules,
  recognition,
  csat,
  kb,
  tone,
];

/** Collects one kind of contribution from every feature. */
export function contributions<K extends keyof FeatureExtension>(kind: K): NonNullable<FeatureExtension[K]> {
  return extensions.flatMap((e) => (e[kind] ?? []) as unknown[]) as NonNullable<FeatureExtension[K]>;
}
