import type { RapportModule } from "../registry.ts";
import { addBatchHook, addTicketHook, type TicketHooks } from "../tickets/hooks.ts";
import { fieldsRoutes } from "./fields.routes.ts";
import type { TCustomFieldsInput } from "./fields.schema.ts";
import { validateCustomFields } from "./fields.service.ts";

/** Ticket creation: custom field values are checked and normalized before the insert. */
const checkFields: TicketHooks["beforeCreate"][number] = async (tx, ctx, input) => {
  // Normalized values (numbers, canonical option values) are what createTicket stores.
  input.customFields = (await validateCustomFields(tx, ctx.actor, "ticket", input.customFields, {
    mode: "create",
  })) as TCustomFieldsInput;
};
addTicketHook("beforeCreate", checkFields);
/** A batch: each distinct set of values is checked once (an email batch: all empty, one check). */
addBatchHook("beforeCreate", [checkFields], async (tx, ctx, inputs) => {
  const done = new Map<string, TCustomFieldsInput>();
  for (const input of inputs) {
    const key = JSON.stringify(input.customFields ?? null);
    let out = done.get(key);
    if (!out) {
      await checkFields(tx, ctx, input);
      out = input.customFields as TCustomFieldsInput;
      done.set(key, out);
    }
    input.customFields = structuredClone(out);
  }
});

export const fieldsModule: RapportModule = {
  name: "fields",
  routes: fieldsRoutes,
};
