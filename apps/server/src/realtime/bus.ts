import { EventEmitter } from "node:events";

/**
 * Domain events published after a transaction commits. The realtime module fans
 * them out to websockets (and across processes through PostgreSQL NOTIFY); other
 * modules may subscribe too. Nothing is published for a rolled-back change.
 */
export type DomainEvent =
  | {
      type: "ticket.created";
      ticketId: string;
      teamId: string | null;
      assigneeId: string | null;
      status: string;
    }
  | {
      type: "ticket.updated";
      ticketId: string;
      teamId: string | null;
      assigneeId: string | null;
      status: string;
      changes: Record<string, { from: unknown; to: unknown }>;
    }
  | {
      type: "message.created";
      ticketId: string;
      messageId: string;
      /** The ticket's channel (the chat hub only looks for a live chat behind chat tickets). */
      channel?: string;
      teamId: string | null;
      assigneeId: string | null;
      internal: boolean;
      authorType: string;
      /** Set when the message moved the ticket's status (a customer reply reopens a solved ticket). */
      statusChange?: { from: string; to: string };
    }
  | {
      /** A user asked for a password reset; the email channel sends `resetUrl` to `email`. */
      type: "auth.password_reset_requested";
      userId: string;
      email: string;
      name: string;
      locale: string;
      resetUrl: string;
      expiresAt: string;
    }
  | {
      /** An admin created a user without a password; the email channel sends `setPasswordUrl`. */
      type: "auth.invited";
      userId: string;
      email: string;
      name: string;
      locale: string;
      setPasswordUrl: string;
      invitedBy: string | null;
      expiresAt: string;
    }
  | {
      /** Notices filed (modules/notifications): pushed to their recipients' sockets. */
      type: "notification.created";
      notices: Array<{ id: string; userId: string }>;
    }
  | {
      /** A user read one or all of their notices: their other tabs get the new unread count. */
      type: "notification.read";
      userId: string;
    };

export class EventBus {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(0);
  }
  publish(event: DomainEvent): void {
    this.emitter.emit("event", event);
  }
  subscribe(handler: (event: DomainEvent) => void): () => void {
    this.emitter.on("event", handler);
    return () => this.emitter.off("event", handler);
  }
}
