/**
 * The core REST shapes the web app reads: re-exported from the API contract, which infers them from
 * the server's zod schemas (apps/server/src/contract, decision 0012). Do not declare API shapes by
 * hand here or in a feature's api.ts: import them from "@rapport/server/contract".
 */
export type {
  ApiToken,
  Attachment,
  Bootstrap,
  BulkResult,
  Contact,
  CreatedApiToken,
  Me,
  Message,
  Page,
  SearchResult,
  Settings,
  Team,
  Ticket,
  TicketEvent,
  User,
} from "@rapport/server/contract";
