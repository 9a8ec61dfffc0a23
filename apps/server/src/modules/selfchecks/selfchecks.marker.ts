import type { Config } from "../../config.ts";
import { derive, hmacHex, sameHex } from "../channels/keys.ts";

/**
 * The signed marker a service self-check carries in its message: `[rapport-check:<run id>.<mac>]`,
 * the MAC an HMAC of the run id under a key derived from the server key. Customers cannot make
 * one; a marker whose MAC does not match is left in the text and ignored.
 */
const MARKER = /\[rapport-check:([0-9a-f-]{36})\.([0-9a-f]{64})\]/g;

/** The ticket channels a check enters by: email, the widget's chat, and the web form ("web"). */
const CHECK_TICKET_CHANNELS = new Set<string>(["email", "chat", "web"]);

const mac = (config: Pick<Config, "dataDir">, runId: string) => hmacHex(derive(config, "self-check"), runId);

export const checkMarker = (config: Pick<Config, "dataDir">, runId: string) =>
  `[rapport-check:${runId}.${mac(config, runId)}]`;

/** The run a message's valid marker names (the first), and the message with valid markers removed. */
export function takeCheckMarker<M extends { body?: string; html?: string }>(
  config: Pick<Config, "dataDir">,
  message: M,
): { runId: string | null; message: M } {
  let runId: string | null = null;
  const strip = (s: string | undefined) =>
    s?.replace(MARKER, (all, id: string, m: string) => {
      if (!sameHex(m, mac(config, id))) return all;
      runId ??= id;
      return "";
    });
  const body = strip(message.body);
  const html = strip(message.html);
  if (!runId) return { runId: null, message };
  return {
    runId,
    message: {
      ...message,
      ...(body !== undefined ? { body: body.trim() } : {}),
      ...(html !== undefined ? { html } : {}),
    },
  };
}

/**
 * The self-check run a new ticket's first message belongs to (createTickets in the ticket
 * pipeline): only a public customer message arriving by a check's channel is looked at.
 */
export function checkOnEntry<M extends { body?: string; html?: string; internal?: boolean }>(
  config: Pick<Config, "dataDir">,
  channel: string | undefined,
  message: M,
): { runId: string | null; message: M } {
  if (message.internal || !CHECK_TICKET_CHANNELS.has(channel ?? "")) return { runId: null, message };
  return takeCheckMarker(config, message);
}
