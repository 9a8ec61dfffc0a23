import type { Services } from "../../context.ts";

/**
 * Where this process listens: its HTTP server and its inbound SMTP receiver. A service self-check
 * connects here on purpose — the one documented exception to the outbound SSRF guard
 * (docs/self-checks.md): the address comes from the process's own `listen`, never from user
 * input or the database, so no request can point a check elsewhere.
 */
export type SelfAddress = { http?: string; smtpPort?: number | null };

const addresses = new WeakMap<object, SelfAddress>();

export function setSelfAddress(services: Pick<Services, "database">, a: SelfAddress) {
  addresses.set(services.database, { ...addresses.get(services.database), ...a });
}

export const selfAddress = (services: Pick<Services, "database">): SelfAddress =>
  addresses.get(services.database) ?? {};

/** The address to reach a listener bound to `host` from the same machine. */
export const loopbackOf = (host: string) =>
  host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
