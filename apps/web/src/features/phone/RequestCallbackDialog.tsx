import { Button, Checkbox, Group, Modal, Stack, Text, Textarea, TextInput } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { localToIso, useRequestCallback } from "./api.ts";
import { phoneError } from "./LogCallDialog.tsx";
import { PhoneChoice } from "./PhoneChoice.tsx";

/** An agent puts a call-back in the queue for a customer (phone, preferred window, topic). */
export function RequestCallbackDialog({
  opened,
  onClose,
  contactId,
  ticketId,
  defaultPhone,
  meId,
}: {
  opened: boolean;
  onClose: () => void;
  contactId?: string;
  ticketId?: string;
  defaultPhone?: string;
  meId: string;
}) {
  const { t } = useTranslation();
  const [phone, setPhone] = useState(defaultPhone ?? "");
  const [topic, setTopic] = useState("");
  const [start, setStart] = useState("");
  const [end, setEnd] = useState("");
  const [mine, setMine] = useState(true);
  const req = useRequestCallback();
  function submit(e: FormEvent) {
    e.preventDefault();
    req.mutate(
      {
        phone: phone.trim(),
        topic,
        ...(contactId ? { contactId } : {}),
        ...(ticketId ? { ticketId } : {}),
        ...(start ? { windowStart: localToIso(start) } : {}),
        ...(end ? { windowEnd: localToIso(end) } : {}),
        ...(mine ? { assigneeId: meId } : {}),
      },
      { onSuccess: onClose },
    );
  }
  return (
    <Modal opened={opened} onClose={onClose} title={t("phone.cb.request")}>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <PhoneChoice contactId={contactId} opened={opened} value={phone} onChange={setPhone} />
          <Group grow>
            <TextInput
              type="datetime-local"
              label={t("phone.cb.windowStart")}
              value={start}
              onChange={(e) => setStart(e.currentTarget.value)}
            />
            <TextInput
              type="datetime-local"
              label={t("phone.cb.windowEnd")}
              value={end}
              onChange={(e) => setEnd(e.currentTarget.value)}
            />
          </Group>
          <Textarea
            label={t("phone.cb.topic")}
            value={topic}
            onChange={(e) => setTopic(e.currentTarget.value)}
            maxLength={2000}
            autosize
            minRows={2}
          />
          <Checkbox
            label={t("phone.cb.assignMe")}
            checked={mine}
            onChange={(e) => setMine(e.currentTarget.checked)}
          />
          {req.isError && (
            <Text c="red" size="sm" role="alert">
              {phoneError(t, req.error)}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="subtle" onClick={onClose}>
              {t("phone.cancel")}
            </Button>
            <Button type="submit" loading={req.isPending} disabled={!phone.trim()}>
              {t("phone.cb.save")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
