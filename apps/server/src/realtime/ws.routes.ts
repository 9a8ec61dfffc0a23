import websocket from "@fastify/websocket";
import { REALTIME_MAX_CLIENT_FRAME, type TClientFrame, ZClientFrame } from "@rapport/shared";
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from "fastify";
import type { AgentActor } from "../auth/actor.ts";
import { requireAgent } from "../auth/policies.ts";
import { withActor } from "../context.ts";
import { AppError } from "../lib/errors.ts";
import { resolveApiToken, resolveSession } from "../modules/auth/auth.service.ts";
import { countViews } from "../modules/views/views.service.ts";
import { Connection, RealtimeHub } from "./hub.ts";

/** Client frames per socket: a burst of BURST, refilled at RATE per second; beyond it the socket closes (1008). */
const BURST = 40;
const RATE = 20;

/**
 * A browser sends its cookies with a cross-site websocket handshake too, so a cookie-authenticated
 * upgrade must come from a page of this server (Cross-Site WebSocket Hijacking).
 */
function sameOrigin(req: FastifyRequest, publicUrl: string): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    const o = new URL(origin);
    return o.origin === new URL(publicUrl).origin || o.host === req.headers.host;
  } catch {
    return false;
  }
}

/** How to check the socket's credentials again later (revoked token, ended session, changed teams). */
function reauthFor(req: FastifyRequest): () => Promise<AgentActor | null> {
  const services = req.ctx;
  const bearer = req.headers.authorization?.split(" ")[1];
  if (bearer) return () => resolveApiToken(services, bearer);
  const cookie = req.sessionToken;
  return async () => (cookie ? ((await resolveSession(services, cookie))?.actor ?? null) : null);
}

/** Methods that change nothing: their answers do not wait for realtime events. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The realtime hub of this process, and `GET /api/v1/ws`, the agents' live channel.
 * Protocol: docs/realtime.md, types: @rapport/shared realtime.ts.
 *
 * Registered in the API's scope (not a scope of its own, see `skip-override` below) because of
 * one hook: an API write answers only after the realtime events it published went out through
 * NOTIFY. So events are numbered in the order clients saw their writes succeed, even when the
 * next write goes to another server process (docs/realtime.md, "Ordering").
 */
export const realtimeRoutes: FastifyPluginAsync = Object.assign(
  async (api: FastifyInstance) => {
    const hub = new RealtimeHub(api.services, (msg, err) => api.log.error({ err }, msg));
    api.addHook("onReady", () => hub.start());
    api.addHook("preClose", () => hub.stop());
    api.addHook("onSend", async (req, _reply, payload) => {
      if (!SAFE_METHODS.has(req.method)) await hub.published();
      return payload;
    });
    await api.register(websocketRoute(hub));
  },
  // Fastify's documented way for a plugin to add hooks to the scope that registers it.
  { [Symbol.for("skip-override")]: true },
);

/** The websocket route, in its own scope (the websocket plugin's hooks stay here). */
const websocketRoute =
  (hub: RealtimeHub): FastifyPluginAsync =>
  async (app) => {
    await app.register(websocket, { options: { maxPayload: REALTIME_MAX_CLIENT_FRAME } });

    app.get(
      "/ws",
      {
        websocket: true,
        schema: { hide: true },
        // A refused upgrade (401 from the auth hook, 429, 403) leaves the raw socket open: end it.
        onResponse: async (req, reply) => {
          if (req.headers.upgrade) reply.raw.socket?.destroy();
        },
        preValidation: async (req) => {
          requireAgent(req.ctx.actor);
          if (req.sessionToken && !sameOrigin(req, app.services.config.publicUrl))
            throw new AppError("forbidden", 403, "Websocket from another origin");
        },
      },
      (socket, req) => {
        const actor = requireAgent(req.ctx.actor);
        const conn = new Connection(actor, socket, reauthFor(req), (err) =>
          app.log.error({ err }, "realtime: socket task failed"),
        );
        let tokens = BURST;
        let refilledAt = Date.now();
        socket.on("message", (data, isBinary) => {
          const now = Date.now();
          tokens = Math.min(BURST, tokens + ((now - refilledAt) / 1000) * RATE);
          refilledAt = now;
          if (--tokens < 0) return conn.close(1008, "too many frames");
          if (isBinary)
            return conn.send({ type: "error", code: "invalid_frame", message: "Send JSON text frames" });
          let json: unknown;
          try {
            json = JSON.parse(data.toString());
          } catch {
            return conn.send({ type: "error", code: "invalid_json", message: "The frame is not JSON" });
          }
          const parsed = ZClientFrame.safeParse(json);
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            return conn.send({
              type: "error",
              code: "invalid_frame",
              message:
                `Unknown or malformed frame${issue ? `: ${issue.path.join(".") || "frame"} ${issue.message}` : ""}`.slice(
                  0,
                  300,
                ),
            });
          }
          handle(hub, conn, parsed.data);
        });
        socket.on("close", () => hub.disconnect(conn));
        socket.on("error", () => hub.disconnect(conn));
        hub.connect(conn, () => countViews(withActor(app.services, conn.actor)));
      },
    );
  };

function handle(hub: RealtimeHub, conn: Connection, frame: TClientFrame) {
  // A client that talks before resuming is not going to resume: stop holding live frames.
  if (frame.type !== "resume") conn.enqueue(() => conn.release());
  switch (frame.type) {
    case "ping":
      return conn.enqueue(() => conn.send({ type: "pong" }));
    case "resume":
      return hub.resume(conn, frame.since);
    case "watch":
      return conn.enqueue(() =>
        hub.presence.watch(conn, frame.ticketId).catch((err) => conn.send(errorFrame(err))),
      );
    case "unwatch":
      return conn.enqueue(() => hub.presence.unwatch(conn, frame.ticketId));
    case "views":
      return hub.recountViews(conn);
    case "typing":
      return conn.enqueue(() => {
        try {
          hub.presence.typing(conn, frame.ticketId, frame.typing);
        } catch (err) {
          conn.send(errorFrame(err));
        }
      });
  }
}

function errorFrame(err: unknown) {
  if (!(err instanceof AppError)) throw err;
  return {
    type: "error",
    code: err.status === 404 ? "not_found" : "invalid_frame",
    message: err.message,
  } as const;
}
