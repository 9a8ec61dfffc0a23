/**
 * The core API shapes (tickets, users, contacts, bootstrap), as the web app reads and sends them.
 * Types only: each is inferred from the zod schema the route validates and serializes with.
 */
import type { z } from "zod";
import type { ZApiToken, ZCreatedApiToken, ZMe } from "../modules/auth/auth.schema.ts";
import type { ZBootstrap } from "../modules/bootstrap/bootstrap.schema.ts";
import type {
  ZContact,
  ZContactDuplicates,
  ZCreateContact,
  ZOrganization,
  ZUpdateContact,
} from "../modules/contacts/contacts.schema.ts";
import type { ZSearchResult } from "../modules/search/search.schema.ts";
import type { ZSettings } from "../modules/settings/settings.schema.ts";
import type { ZTeam } from "../modules/teams/teams.schema.ts";
import type {
  ZAttachment,
  ZCreateMessage,
  ZCreateTicket,
  ZMessage,
  ZTicket,
  ZTicketEvent,
  ZUpdateTicket,
} from "../modules/tickets/tickets.schema.ts";
import type { ZUser } from "../modules/users/users.schema.ts";

/** A list endpoint's answer: one page of items and the cursor of the next (null: the last page). */
export type Page<T> = { items: T[]; nextCursor: string | null };

export type Ticket = z.output<typeof ZTicket>;
export type Attachment = z.output<typeof ZAttachment>;
export type Message = z.output<typeof ZMessage>;
export type TicketEvent = z.output<typeof ZTicketEvent>;
export type CreateTicketBody = z.input<typeof ZCreateTicket>;
export type UpdateTicketBody = z.input<typeof ZUpdateTicket>;
export type CreateMessageBody = z.input<typeof ZCreateMessage>;

export type User = z.output<typeof ZUser>;
export type Me = z.output<typeof ZMe>;
export type Team = z.output<typeof ZTeam>;
export type ApiToken = z.output<typeof ZApiToken>;
export type CreatedApiToken = z.output<typeof ZCreatedApiToken>;
export type Settings = z.output<typeof ZSettings>;
export type Bootstrap = z.output<typeof ZBootstrap>;

export type Contact = z.output<typeof ZContact>;
export type CreateContactBody = z.input<typeof ZCreateContact>;
export type UpdateContactBody = z.input<typeof ZUpdateContact>;
export type Organization = z.output<typeof ZOrganization>;
export type ContactDuplicates = z.output<typeof ZContactDuplicates>;
export type ContactDuplicate = ContactDuplicates["items"][number];

export type SearchResult = z.output<typeof ZSearchResult>;

/** POST /views/bulk: which tickets changed and which did not (with why). */
export type { TBulkResult as BulkResult } from "@rapport/shared";
