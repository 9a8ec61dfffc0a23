import {
  Button,
  Group,
  Modal,
  NativeSelect,
  NumberInput,
  Stack,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { post } from "../../lib/api.ts";
import type { Ticket } from "../../lib/types.ts";
import { type Cadence, useSetCadence } from "../planner/api.ts";
import { errorText } from "../planner/dialogs.tsx";

/** "Write a note" on the customer: it lands on the timeline. */
export function NoteForm({ contactId, onDone }: { contactId: string; onDone?: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [body, setBody] = useState("");
  const save = useMutation({
    mutationFn: () => post(`/contacts/${contactId}/notes`, { body }),
    onSuccess: () => {
      setBody("");
      onDone?.();
      return qc.invalidateQueries({ queryKey: ["dossier", contactId] });
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    if (body.trim()) save.mutate();
  }
  return (
    <form onSubmit={submit}>
      <Stack gap="xs">
        <Textarea
          label={t("dossier.note.label")}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          autosize
          minRows={3}
          maxLength={20_000}
          data-autofocus
        />
        {save.isError && (
          <Text c="red" size="sm" role="alert">
            {errorText(t, save.error)}
          </Text>
        )}
        <Group>
          <Button type="submit" loading={save.isPending} disabled={!body.trim()}>
            {t("dossier.note.save")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** "Open a ticket for this customer": creates it with the customer as requester, then opens it. */
export function NewTicketDialog({
  contactId,
  opened,
  onClose,
}: {
  contactId: string;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [subject, setSubject] = useState("");
  const [body, setBody] = useState("");
  const create = useMutation({
    mutationFn: () =>
      post<Ticket>("/tickets", {
        subject: subject.trim(),
        requester: { id: contactId },
        ...(body.trim() ? { message: { body: body.trim(), internal: true } } : {}),
      }),
    onSuccess: (ticket) => navigate(`/tickets/${ticket.id}`),
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate();
  }
  return (
    <Modal
      closeButtonProps={{ "aria-label": t("common.close") }}
      opened={opened}
      onClose={onClose}
      title={t("dossier.ticket.title")}
    >
      <form onSubmit={submit}>
        <Stack gap="sm">
          <TextInput
            label={t("dossier.ticket.subject")}
            value={subject}
            maxLength={500}
            required
            onChange={(e) => setSubject(e.currentTarget.value)}
            data-autofocus
          />
          <Textarea
            label={t("dossier.ticket.note")}
            value={body}
            autosize
            minRows={3}
            onChange={(e) => setBody(e.currentTarget.value)}
          />
          {create.isError && (
            <Text c="red" size="sm" role="alert">
              {errorText(t, create.error)}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="subtle" onClick={onClose}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!subject.trim()}>
              {t("dossier.ticket.create")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Recurring cadence: every N days / weeks / months files the next contact automatically. */
export function CadenceEditor({ contactId, cadence }: { contactId: string; cadence: Cadence }) {
  const { t } = useTranslation();
  const [every, setEvery] = useState<number>(cadence?.every ?? 1);
  const [unit, setUnit] = useState<"day" | "week" | "month">(cadence?.unit ?? "month");
  const save = useSetCadence(contactId);
  return (
    <Stack gap="xs">
      <Text size="sm" data-testid="cadence-state">
        {cadence
          ? t("dossier.cadence.current", {
              count: cadence.every,
              unit: t(`dossier.cadence.unit.${cadence.unit}`),
            })
          : t("dossier.cadence.none")}
      </Text>
      <Group gap="xs" align="flex-end">
        <NumberInput
          label={t("dossier.cadence.every")}
          value={every}
          min={1}
          max={366}
          onChange={(v) => setEvery(typeof v === "number" ? v : Number(v) || 1)}
          w={90}
          size="xs"
        />
        <NativeSelect
          label={t("dossier.cadence.unitLabel")}
          value={unit}
          onChange={(e) => setUnit(e.currentTarget.value as "day" | "week" | "month")}
          data={(["day", "week", "month"] as const).map((u) => ({
            value: u,
            label: t(`dossier.cadence.unit.${u}`),
          }))}
          w={120}
          size="xs"
        />
        <Button size="xs" onClick={() => save.mutate({ every, unit })} loading={save.isPending}>
          {t("common.save")}
        </Button>
        {cadence && (
          <Button size="xs" variant="filled" color="red.9" onClick={() => save.mutate(null)}>
            {t("dossier.cadence.remove")}
          </Button>
        )}
      </Group>
      {save.isError && (
        <Text c="red" size="xs" role="alert">
          {errorText(t, save.error)}
        </Text>
      )}
    </Stack>
  );
}
