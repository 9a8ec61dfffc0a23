import {
  Button,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../lib/api.ts";
import { CALL_OUTCOMES, type CallOutcome, useLogCall } from "./api.ts";
import { PhoneChoice } from "./PhoneChoice.tsx";

export function phoneError(t: (k: string) => string, err: unknown) {
  if (err instanceof ApiError && err.status === 400 && err.message)
    return `${t("phone.error")} ${err.message}`;
  if (err instanceof ApiError && err.status === 404) return t("phone.notFound");
  return t("phone.error");
}

/** Log a call: direction, number, duration, outcome, notes; on a ticket, or on a contact (optionally opening a phone ticket). */
export function LogCallDialog({
  opened,
  onClose,
  ticketId,
  contactId,
  defaultPhone,
}: {
  opened: boolean;
  onClose: () => void;
  ticketId?: string;
  contactId?: string;
  defaultPhone?: string;
}) {
  const { t } = useTranslation();
  const [direction, setDirection] = useState<"inbound" | "outbound">("inbound");
  const [phone, setPhone] = useState(defaultPhone ?? "");
  const [minutes, setMinutes] = useState<number>(0);
  const [seconds, setSeconds] = useState<number>(0);
  const [outcome, setOutcome] = useState<CallOutcome>("answered");
  const [notes, setNotes] = useState("");
  const [openTicket, setOpenTicket] = useState(false);
  const [subject, setSubject] = useState("");
  const log = useLogCall();

  function submit(e: FormEvent) {
    e.preventDefault();
    log.mutate(
      {
        ...(ticketId ? { ticketId } : {}),
        ...(contactId && !ticketId ? { contactId } : {}),
        ...(openTicket && !ticketId ? { newTicket: { subject: subject.trim(), assignToMe: true } } : {}),
        direction,
        phone: phone.trim(),
        durationSeconds: Math.max(0, Math.round(minutes * 60 + seconds)),
        outcome,
        notes,
      },
      {
        onSuccess: () => {
          setNotes("");
          setMinutes(0);
          setSeconds(0);
          setSubject("");
          setOpenTicket(false);
          onClose();
        },
      },
    );
  }

  return (
    <Modal opened={opened} onClose={onClose} title={t("phone.log.title")}>
      <form onSubmit={submit} data-testid="log-call-form">
        <Stack gap="sm">
          <SegmentedControl
            aria-label={t("phone.direction")}
            value={direction}
            onChange={(v) => setDirection(v as "inbound" | "outbound")}
            data={[
              { value: "inbound", label: t("phone.direction.inbound") },
              { value: "outbound", label: t("phone.direction.outbound") },
            ]}
          />
          <PhoneChoice
            contactId={contactId}
            opened={opened}
            value={phone}
            onChange={setPhone}
            description={t("phone.numberHint")}
          />
          <Group grow>
            <NumberInput
              label={t("phone.minutes")}
              min={0}
              max={1440}
              value={minutes}
              onChange={(v) => setMinutes(Number(v) || 0)}
            />
            <NumberInput
              label={t("phone.seconds")}
              min={0}
              max={59}
              value={seconds}
              onChange={(v) => setSeconds(Number(v) || 0)}
            />
          </Group>
          <Select
            label={t("phone.outcome")}
            value={outcome}
            onChange={(v) => v && setOutcome(v as CallOutcome)}
            data={CALL_OUTCOMES.map((o) => ({ value: o, label: t(`phone.outcome.${o}`) }))}
            allowDeselect={false}
          />
          <Textarea
            label={t("phone.notes")}
            value={notes}
            onChange={(e) => setNotes(e.currentTarget.value)}
            autosize
            minRows={3}
            maxLength={10_000}
          />
          {!ticketId && (
            <>
              <Checkbox
                label={t("phone.log.openTicket")}
                checked={openTicket}
                onChange={(e) => setOpenTicket(e.currentTarget.checked)}
              />
              {openTicket && (
                <TextInput
                  label={t("phone.log.subject")}
                  value={subject}
                  onChange={(e) => setSubject(e.currentTarget.value)}
                  maxLength={300}
                  required
                />
              )}
            </>
          )}
          {log.isError && (
            <Text c="red" size="sm" role="alert">
              {phoneError(t, log.error)}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="subtle" onClick={onClose}>
              {t("phone.cancel")}
            </Button>
            <Button
              type="submit"
              loading={log.isPending}
              disabled={!phone.trim() || (openTicket && !subject.trim())}
            >
              {t("phone.log.save")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
