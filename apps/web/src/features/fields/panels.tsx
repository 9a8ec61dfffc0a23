import { Paper, Stack, Title } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { get } from "../../lib/api.ts";
import type { Contact, Me, Ticket } from "../../lib/types.ts";
import { useFields } from "./api.ts";
import { CustomFieldsForm, patchRaw } from "./CustomFieldsForm.tsx";

/** Ticket page, right column: the ticket's custom fields. */
export function TicketFieldsPanel({ ticket, me }: { ticket: Ticket; me: Me }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const fields = useFields("ticket");
  if (!fields.data?.length) return null;
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="ticket-fields-title">
      <Stack gap="xs">
        <Title order={2} size="h5" id="ticket-fields-title">
          {t("fields.panelTitle")}
        </Title>
        <CustomFieldsForm
          key={JSON.stringify(ticket.customFields ?? {})}
          fields={fields.data}
          values={ticket.customFields ?? {}}
          disabled={!ticket.permissions.update}
          save={async (changed) => {
            const res = await patchRaw(`/tickets/${ticket.id}`, { customFields: changed }, me.csrfToken);
            if (res.ok) {
              qc.setQueryData(["ticket", ticket.id], await res.clone().json());
              void qc.invalidateQueries({ queryKey: ["events", ticket.id] });
            }
            return res;
          }}
        />
      </Stack>
    </Paper>
  );
}

/** Customer dossier: the contact's custom fields. */
export function ContactFieldsPanel({ contactId, me }: { contactId: string; me: Me }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const fields = useFields("contact");
  const contact = useQuery({
    queryKey: ["contact", contactId],
    queryFn: () => get<Contact>(`/contacts/${contactId}`),
  });
  if (!fields.data?.length || !contact.data) return null;
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="contact-fields-title">
      <Stack gap="xs">
        <Title order={2} size="h5" id="contact-fields-title">
          {t("fields.panelTitle")}
        </Title>
        <CustomFieldsForm
          key={JSON.stringify(contact.data.customFields ?? {})}
          fields={fields.data}
          values={contact.data.customFields ?? {}}
          save={async (changed) => {
            const res = await patchRaw(`/contacts/${contactId}`, { customFields: changed }, me.csrfToken);
            if (res.ok) {
              qc.setQueryData(["contact", contactId], await res.clone().json());
              void qc.invalidateQueries({ queryKey: ["dossier", contactId] });
            }
            return res;
          }}
        />
      </Stack>
    </Paper>
  );
}
