import { Anchor, Button, Group, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { get, patch, qs } from "../../lib/api.ts";
import { formatDate } from "../../lib/format.ts";
import type { Contact, Page, Ticket } from "../../lib/types.ts";
import { StatusBadge } from "../inbox/labels.tsx";

function ContactForm({ contact, onDone }: { contact: Contact; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => patch<Contact>(`/contacts/${contact.id}`, body),
    onSuccess: (c) => {
      qc.setQueryData(["contact", c.id], c);
      onDone();
    },
  });
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const email = String(f.get("email") ?? "").trim();
    const phone = String(f.get("phone") ?? "").trim();
    save.mutate({
      name: String(f.get("name") ?? ""),
      emails: email
        ? [
            email,
            ...contact.emails
              .filter((x) => !x.primary)
              .map((x) => x.email)
              .filter((x) => x !== email),
          ]
        : [],
      phones: phone
        ? [
            phone,
            ...contact.phones
              .filter((x) => !x.primary)
              .map((x) => x.phone)
              .filter((x) => x !== phone),
          ]
        : [],
      notes: String(f.get("notes") ?? ""),
    });
  }
  const primaryEmail = contact.emails.find((e) => e.primary)?.email ?? contact.emails[0]?.email ?? "";
  const primaryPhone = contact.phones.find((p) => p.primary)?.phone ?? contact.phones[0]?.phone ?? "";
  return (
    <form onSubmit={submit}>
      <Stack gap="xs">
        <TextInput name="name" label={t("common.name")} defaultValue={contact.name} size="xs" />
        <TextInput name="email" type="email" label={t("auth.email")} defaultValue={primaryEmail} size="xs" />
        <TextInput name="phone" label={t("contact.phone")} defaultValue={primaryPhone} size="xs" />
        <Textarea
          name="notes"
          label={t("contact.notes")}
          defaultValue={contact.notes}
          size="xs"
          autosize
          minRows={2}
        />
        {save.isError && (
          <Text c="red" size="xs" role="alert">
            {t("common.error")}
          </Text>
        )}
        <Group gap="xs">
          <Button type="submit" size="xs" loading={save.isPending}>
            {t("common.save")}
          </Button>
          <Button variant="subtle" size="xs" onClick={onDone}>
            {t("common.cancel")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The requester: details (editable), organization, and their other tickets. */
export function CustomerSidebar({
  contactId,
  currentTicketId,
}: {
  contactId: string;
  currentTicketId: string;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const contact = useQuery({
    queryKey: ["contact", contactId],
    queryFn: () => get<Contact>(`/contacts/${contactId}`),
  });
  const others = useQuery({
    queryKey: ["tickets", "requester", { requester: contactId }],
    queryFn: () => get<Page<Ticket>>(`/tickets${qs({ requester: contactId, limit: 20 })}`),
    select: (p) => p.items.filter((x) => x.id !== currentTicketId),
  });
  const c = contact.data;
  return (
    <Stack gap="md" component="aside" aria-label={t("contact.sidebar")}>
      <Title order={2} size="h5">
        {t("contact.customer")}
      </Title>
      {c &&
        (editing ? (
          <ContactForm contact={c} onDone={() => setEditing(false)} />
        ) : (
          <Stack gap={4}>
            <Anchor component={Link} to={`/contacts/${c.id}`} fw={600} data-testid="open-dossier">
              {c.name || "—"}
            </Anchor>
            {c.emails.map((e) => (
              <Text key={e.email} size="sm">
                {e.email}
              </Text>
            ))}
            {c.phones.map((p) => (
              <Text key={p.phone} size="sm">
                {p.phone}
              </Text>
            ))}
            <Text size="sm" c="dimmed">
              {t("contact.organization")}: {c.organization?.name ?? "—"}
            </Text>
            {c.notes && (
              <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
                {c.notes}
              </Text>
            )}
            <Group gap="xs">
              <Button variant="light" size="xs" onClick={() => setEditing(true)}>
                {t("common.edit")}
              </Button>
              <Button variant="subtle" size="xs" component={Link} to={`/contacts/${c.id}`}>
                {t("dossier.open")}
              </Button>
            </Group>
          </Stack>
        ))}
      <Title order={2} size="h5">
        {t("contact.otherTickets")}
      </Title>
      {others.data?.length === 0 && (
        <Text size="sm" c="dimmed">
          {t("contact.noOtherTickets")}
        </Text>
      )}
      <Stack gap={6} component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
        {others.data?.map((o) => (
          <li key={o.id}>
            <Anchor component={Link} to={`/tickets/${o.id}`} size="sm" display="block">
              #{o.number} {o.subject}
            </Anchor>
            <Group gap={6}>
              <StatusBadge status={o.status} />
              <Text size="xs" c="dimmed">
                {formatDate(o.createdAt)}
              </Text>
            </Group>
          </li>
        ))}
      </Stack>
    </Stack>
  );
}
