import type { RapportModule } from "../registry.ts";
import { portalPages } from "./portal.pages.ts";
import { portalRoutes } from "./portal.routes.ts";

/**
 * The customer portal (docs/portal.md): one-time sign-in links, a customer's requests and
 * call-backs, the server-rendered pages at /portal, and deflection (suggestions shown, opened,
 * followed by a request or not).
 */
export const portalModule: RapportModule = {
  name: "portal",
  routes: portalRoutes,
  rootRoutes: portalPages,
};
