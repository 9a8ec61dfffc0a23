import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import WebSocket from "ws";
import type { Frame } from "./hub.ts";

/** The websocket URL of an app listening on a real port. */
export function wsUrl(app: FastifyInstance): string {
  const { port } = app.server.address() as AddressInfo;
  return `ws://127.0.0.1:${port}/api/v1/ws`;
}

export type FrameOf<T extends Frame["type"]> = Extract<Frame, { type: T }>;

/** A frame predicate: `is("ticket", (f) => f.ticket.id === id)`. */
export const is =
  <T extends Frame["type"]>(type: T, where: (f: FrameOf<T>) => boolean = () => true) =>
  (f: Frame) =>
    f.type === type && where(f as FrameOf<T>);

/**
 * A websocket client for tests and the latency bench: keeps every frame it receives and
 * waits for the next one matching a predicate.
 */
export class WsClient {
  private static readonly all = new Set<WsClient>();
  /** Frames not taken by `next` yet. */
  readonly frames: Frame[] = [];
  /** Every frame received, in arrival order. */
  readonly log: Frame[] = [];
  private waiters: Array<{ match: (f: Frame) => boolean; resolve: (f: Frame) => void }> = [];
  closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: WebSocket) {
    WsClient.all.add(this);
    socket.on("message", (data) => {
      const frame = JSON.parse(data.toString()) as Frame;
      this.log.push(frame);
      const i = this.waiters.findIndex((w) => w.match(frame));
      if (i >= 0) {
        const [w] = this.waiters.splice(i, 1);
        w?.resolve(frame);
      } else this.frames.push(frame);
    });
    this.closed = new Promise((resolve) =>
      socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  /** Opens a socket; rejects with `status` when the server refuses the upgrade. */
  static connect(url: string, headers: Record<string, string> = {}): Promise<WsClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      const client = new WsClient(socket);
      socket.once("open", () => resolve(client));
      socket.once("unexpected-response", (req, res) => {
        const err = Object.assign(new Error(`upgrade refused: ${res.statusCode}`), {
          status: res.statusCode,
        });
        req.destroy();
        reject(err);
      });
      socket.once("error", reject);
    });
  }

  /** Resolves with the first frame (received or to come) that matches; fails after `ms`. */
  next<F extends Frame = Frame>(match: (f: Frame) => boolean = () => true, ms = 20_000): Promise<F> {
    const i = this.frames.findIndex(match);
    if (i >= 0) return Promise.resolve(this.frames.splice(i, 1)[0] as F);
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve: (f: Frame) => resolve(f as F) };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new Error(`no matching frame within ${ms} ms; got ${JSON.stringify(this.frames).slice(0, 500)}`),
        );
      }, ms);
      this.waiters.push({
        match,
        resolve: (f) => {
          clearTimeout(timer);
          waiter.resolve(f);
        },
      });
    });
  }

  send(frame: unknown) {
    this.socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** Sends a ping and waits for its pong: every frame the server sent before it has arrived. */
  async flush() {
    this.send({ type: "ping" });
    await this.next((f) => f.type === "pong");
  }

  close() {
    this.socket.close();
    return this.closed;
  }

  /** Drops every socket opened so far (a test file's afterAll). */
  static terminateAll() {
    for (const c of WsClient.all) c.socket.terminate();
    WsClient.all.clear();
  }
}

/** Opens an agent's socket with an API token and waits for its `hello`. */
export async function connectAgent(url: string, token: string) {
  const ws = await WsClient.connect(url, { authorization: `Bearer ${token}` });
  const hello = await ws.next<FrameOf<"hello">>(is("hello"));
  return { ws, hello };
}
