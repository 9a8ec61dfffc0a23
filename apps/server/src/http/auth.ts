import type { FastifyInstance, FastifyReply } from "fastify";
import type { Actor } from "../auth/actor.ts";
import { safeEqual } from "../auth/crypto.ts";
import { type Ctx, type Services, withActor } from "../context.ts";
import { AppError, unauthenticated } from "../lib/errors.ts";
import { resolveApiToken, resolveSession } from "../modules/auth/auth.service.ts";

export const SESSION_COOKIE = "rapport_session";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

declare module "fastify" {
  interface FastifyRequest {
    ctx: Ctx;
    /** The raw session token from the cookie, when the request was authenticated by one. */
    sessionToken: string | null;
    csrfToken: string | null;
  }
  interface FastifyContextConfig {
    /** Routes anyone may call (setup, login, health, docs). Everything else needs an agent. */
    public?: boolean;
  }
}

/**
 * Resolves the actor of every API request before its body is read: an API token
 * (`Authorization: Bearer rpt_...`) or a session cookie. Cookie-authenticated writes
 * must carry the session's CSRF token in `X-CSRF-Token`.
 */
export function registerAuth(app: FastifyInstance, services: Services) {
  app.decorateRequest("ctx");
  app.decorateRequest("sessionToken", null);
  app.decorateRequest("csrfToken", null);
  app.addHook("onRequest", async (req) => {
    if (/%00/i.test(req.url)) throw new AppError("invalid_encoding", 400, "NUL characters are not allowed");
    let actor: Actor = { kind: "anonymous" };
    const isPublic = req.routeOptions.config?.public === true;
    const auth = req.headers.authorization;
    if (auth) {
      const [scheme, token] = auth.split(" ");
      const resolved =
        scheme?.toLowerCase() === "bearer" && token ? await resolveApiToken(services, token) : null;
      if (!resolved && !isPublic)
        throw new AppError("unauthenticated", 401, "The API token is invalid, expired or revoked");
      if (resolved) actor = resolved;
    } else {
      const cookie = req.cookies[SESSION_COOKIE];
      const session = cookie ? await resolveSession(services, cookie) : null;
      if (session) {
        actor = session.actor;
        req.sessionToken = cookie ?? null;
        req.csrfToken = session.csrfToken;
        if (!SAFE_METHODS.has(req.method) && !isPublic) {
          const sent = req.headers["x-csrf-token"];
          if (typeof sent !== "string" || !safeEqual(sent, session.csrfToken)) {
            throw new AppError("csrf_failed", 403, "Missing or wrong X-CSRF-Token header");
          }
        }
      }
    }
    if (!isPublic && actor.kind === "anonymous") throw unauthenticated();
    req.ctx = withActor(services, actor);
  });
}

export function setSessionCookie(reply: FastifyReply, services: Services, token: string, expiresAt: Date) {
  reply.setCookie(SESSION_COOKIE, token, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: services.config.cookieSecure,
    expires: expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply, services: Services) {
  reply.clearCookie(SESSION_COOKIE, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: services.config.cookieSecure,
  });
}
