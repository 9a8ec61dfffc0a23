import type { RapportModule } from "../registry.ts";
import { addTicketHook } from "../tickets/hooks.ts";
import { fieldsRoutes } from "./fields.routes.ts";
import type { TCustomFieldsInput } from "./fields.schema.ts";
import { validateCustomFields } from "./fields.service.ts";

/** Ticket creation: custom field values are checked and normalized before the insert. */
addTicketHook("beforeCreate", async (tx, ctx, input) => {
  // Normalized values (numbers, canonical option values) are what createTicket stores.
  input.customFields = (await validateCustomFields(tx, ctx.actor, "ticket", input.customFields, {
    mode: "create",
  })) as TCustomFieldsInput;
});

export const fieldsModule: RapportModule = {
  name: "fields",
  routes: fieldsRoutes,
};
