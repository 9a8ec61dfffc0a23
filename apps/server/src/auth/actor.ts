import type { Role } from "@rapport/shared";

/**
 * Who is acting. Agents (staff) use the agent API; customers (portal) and chat
 * visitors are separate kinds with their own sessions and their own routes, so a
 * customer can never pass the agent API's `requireAgent`.
 */
export type AgentActor = {
  kind: "agent";
  userId: string;
  role: Role;
  name: string;
  email: string;
  locale: string;
  teamIds: string[];
  via: "session" | "token";
};
export type CustomerActor = { kind: "customer"; contactId: string };
export type VisitorActor = { kind: "visitor"; visitorId: string; contactId: string | null };
/** Rapport itself: the CLI, ingesters, scheduled jobs. */
export type SystemActor = { kind: "system"; name: string };
export type AnonymousActor = { kind: "anonymous" };

export type Actor = AgentActor | CustomerActor | VisitorActor | SystemActor | AnonymousActor;

export const SYSTEM: SystemActor = { kind: "system", name: "rapport" };

export function actorRef(actor: Actor): { actorType: string; actorId: string | null } {
  switch (actor.kind) {
    case "agent":
      return { actorType: "agent", actorId: actor.userId };
    case "customer":
      return { actorType: "customer", actorId: actor.contactId };
    case "visitor":
      return { actorType: "visitor", actorId: actor.contactId };
    case "system":
      return { actorType: "system", actorId: null };
    default:
      return { actorType: "anonymous", actorId: null };
  }
}
