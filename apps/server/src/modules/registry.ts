import type { FastifyPluginAsync } from "fastify";
import type { Ctx, Services } from "../context.ts";
import type { JobHandlers } from "../jobs/worker.ts";
import { automationsModule } from "./automations/automations.module.ts";
import { channelsModule } from "./channels/channels.module.ts";
import { chatModule } from "./chat/chat.module.ts";
import { compensationsModule } from "./compensations/compensations.module.ts";
import { csatModule } from "./csat/csat.module.ts";
import { csatPreviewModule } from "./csat/preview.module.ts";
import { fieldsModule } from "./fields/fields.module.ts";
import { formsModule } from "./forms/forms.module.ts";
import { importsModule } from "./imports/imports.module.ts";
import { kbModule } from "./kb/kb.module.ts";
import { macrosModule } from "./macros/macros.module.ts";
import { notificationsModule } from "./notifications/notifications.module.ts";
import { ordersModule } from "./orders/orders.module.ts";
import { phoneModule } from "./phone/phone.module.ts";
import { portalModule } from "./portal/portal.module.ts";
import { promisesModule } from "./promises/promises.module.ts";
import { recognitionModule } from "./recognition/recognition.module.ts";
import { reportsDrilldownModule } from "./reports/drilldown.module.ts";
import { reportsModule } from "./reports/reports.module.ts";
import { reportsScheduledModule } from "./reports/scheduled.module.ts";
import { routingModule } from "./routing/routing.module.ts";
import { selfChecksModule } from "./selfchecks/selfchecks.module.ts";
import { sideconvModule } from "./sideconv/sideconv.module.ts";
import { slaModule } from "./sla/sla.module.ts";
import { ticketopsModule } from "./ticketops/ticketops.module.ts";
import { toneModule } from "./tone/tone.module.ts";
import { valueModule } from "./value/value.module.ts";
import { webhooksModule } from "./webhooks/webhooks.module.ts";

/** A running part of a module (a listener, a poller); stopped on shutdown. */
export interface ModuleRuntime {
  stop(): Promise<void>;
}

/**
 * What a feature module plugs into the process: API routes (under /api/v1), job
 * handlers for the worker, and an optional runtime started after the server listens.
 * Each module owns its file; app.ts and main.ts only walk this list.
 */
export interface RapportModule {
  name: string;
  routes?: FastifyPluginAsync;
  /** Routes outside /api/v1 (public pages such as /support/new or the widget's assets). */
  rootRoutes?: FastifyPluginAsync;
  jobs?: JobHandlers;
  /**
   * Start-up data for GET /bootstrap, by part name: each loader is the service behind one of
   * the module's own GET endpoints (the web app primes that endpoint's query with the result).
   */
  bootstrap?: Record<string, (ctx: Ctx) => Promise<unknown>>;
  start?: (services: Services, opts: { log: (msg: string, err?: unknown) => void }) => Promise<ModuleRuntime>;
}

export const modules: RapportModule[] = [
  fieldsModule,
  importsModule,
  slaModule,
  promisesModule,
  routingModule,
  automationsModule,
  macrosModule,
  notificationsModule,
  webhooksModule,
  chatModule,
  phoneModule,
  formsModule,
  channelsModule,
  reportsModule,
  reportsDrilldownModule,
  reportsScheduledModule,
  selfChecksModule,
  ticketopsModule,
  ordersModule,
  compensationsModule,
  valueModule,
  kbModule,
  csatModule,
  csatPreviewModule,
  portalModule,
  sideconvModule,
  toneModule,
  recognitionModule,
];

export const moduleJobHandlers = (): JobHandlers => Object.assign({}, ...modules.map((m) => m.jobs ?? {}));
