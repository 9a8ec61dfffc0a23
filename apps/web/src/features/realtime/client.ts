/**
 * The websocket client: one connection per tab, reconnects with backoff and sends
 * `resume` with the last sequence number it saw so the server replays what was missed.
 */
import type { TClientFrame, TPresenceAgent, TServerFrame } from "@rapport/shared";
import type { Message, Ticket } from "../../lib/types.ts";

export type ServerFrame = TServerFrame<Ticket, Message>;
export type Status = "connecting" | "open" | "closed";

type Listener = (frame: ServerFrame, replay: { countsApply: boolean }) => void;

export class RealtimeClient {
  private ws: WebSocket | null = null;
  private lastSeq = 0;
  /** Frame types already handled for `lastSeq`. */
  private seenAtLast = new Set<string>();
  /** Counts frames up to this seq are already included in the last hello's snapshot. */
  private countsSeq = 0;
  private hadHello = false;
  private retry = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private ping: ReturnType<typeof setInterval> | null = null;
  private stopped = false;
  private watching = new Set<string>();
  private listeners = new Set<Listener>();
  private statusListeners = new Set<() => void>();
  private presence = new Map<string, TPresenceAgent[]>();
  private presenceListeners = new Set<() => void>();
  status: Status = "connecting";

  constructor(private readonly url: string) {}

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.ping) clearInterval(this.ping);
    this.ws?.close();
    this.ws = null;
  }

  /** Drops the socket as a network failure would (used by the reconnect test hook). */
  drop() {
    this.ws?.close();
  }

  private setStatus(s: Status) {
    this.status = s;
    for (const l of this.statusListeners) l();
  }

  private connect() {
    this.setStatus("connecting");
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      this.retry = 0;
      this.setStatus("open");
      if (this.hadHello) this.send({ type: "resume", since: this.lastSeq });
      for (const id of this.watching) this.send({ type: "watch", ticketId: id });
      this.ping = setInterval(() => this.send({ type: "ping" }), 25_000);
    };
    ws.onmessage = (ev) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(ev.data)) as ServerFrame;
      } catch {
        return;
      }
      this.handle(frame);
    };
    ws.onclose = () => {
      if (this.ping) clearInterval(this.ping);
      if (this.ws === ws) this.ws = null;
      this.presence.clear();
      this.emitPresence();
      this.setStatus("closed");
      if (this.stopped) return;
      const delay = Math.min(10_000, 500 * 2 ** this.retry++) * (0.75 + Math.random() / 2);
      this.timer = setTimeout(() => this.connect(), delay);
    };
  }

  private handle(frame: ServerFrame) {
    if (frame.type === "hello") {
      this.countsSeq = frame.seq;
      if (!this.hadHello) {
        this.lastSeq = frame.seq;
        this.seenAtLast = new Set(["ticket", "message", "counts"]);
        // Tells the server nothing needs replaying, so it releases live frames at once.
        this.send({ type: "resume", since: frame.seq });
      }
      this.hadHello = true;
      this.emit(frame, true);
      return;
    }
    if (frame.type === "presence") {
      this.presence.set(frame.ticketId, frame.agents);
      this.emitPresence();
      return;
    }
    if ("seq" in frame) {
      // One event may produce several frames with the same seq (ticket, message, counts).
      if (frame.seq < this.lastSeq) return;
      if (frame.seq === this.lastSeq && this.seenAtLast.has(frame.type)) return;
      if (frame.seq > this.lastSeq) this.seenAtLast.clear();
      this.seenAtLast.add(frame.type);
      const countsApply = frame.seq > this.countsSeq;
      this.lastSeq = frame.seq;
      if (frame.type === "counts" && !countsApply) return;
      this.emit(frame, countsApply);
      return;
    }
    this.emit(frame, true);
  }

  private emit(frame: ServerFrame, countsApply: boolean) {
    for (const l of this.listeners) l(frame, { countsApply });
  }

  private emitPresence() {
    for (const l of this.presenceListeners) l();
  }

  send(frame: TClientFrame) {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  watch(ticketId: string) {
    this.watching.add(ticketId);
    this.send({ type: "watch", ticketId });
  }

  unwatch(ticketId: string) {
    this.watching.delete(ticketId);
    this.presence.delete(ticketId);
    this.send({ type: "unwatch", ticketId });
  }

  typing(ticketId: string, typing: boolean) {
    this.send({ type: "typing", ticketId, typing });
  }

  presenceOf(ticketId: string): TPresenceAgent[] | undefined {
    return this.presence.get(ticketId);
  }

  subscribe(l: Listener) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  onStatus(l: () => void) {
    this.statusListeners.add(l);
    return () => this.statusListeners.delete(l);
  }

  onPresence(l: () => void) {
    this.presenceListeners.add(l);
    return () => this.presenceListeners.delete(l);
  }
}
