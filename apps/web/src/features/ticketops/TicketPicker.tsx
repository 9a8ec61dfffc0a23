import { Alert, Button, Group, Modal, Radio, ScrollArea, Stack, Text, TextInput } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Ticket } from "../../lib/types.ts";
import { StatusBadge } from "../inbox/labels.tsx";
import { usePickable } from "./api.ts";

/**
 * A dialog that finds one ticket by its subject (the customer's recent tickets before a
 * search), leaving out the current one and closed ones. `children` goes above the actions
 * (a warning, a confirmation).
 */
export function TicketPicker({
  opened,
  title,
  action,
  current,
  busy,
  error,
  onClose,
  onPick,
}: {
  opened: boolean;
  title: string;
  action: string;
  current: Ticket;
  busy: boolean;
  error: string | null;
  onClose: () => void;
  onPick: (ticket: Ticket) => void;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState("");
  const [chosen, setChosen] = useState<string | null>(null);
  const list = usePickable(q, current.requester.id);
  const items = (list.data?.items ?? []).filter((x) => x.id !== current.id && x.status !== "closed");
  const picked = items.find((x) => x.id === chosen) ?? null;
  return (
    <Modal opened={opened} onClose={onClose} title={title} size="lg">
      <Stack gap="sm">
        <TextInput
          label={t("ticketops.search")}
          placeholder={t("ticketops.searchHint")}
          value={q}
          data-autofocus
          onChange={(e) => setQ(e.currentTarget.value)}
        />
        <Text size="sm" c="dimmed">
          {q.trim() ? t("ticketops.results") : t("ticketops.recent", { name: current.requester.name })}
        </Text>
        <ScrollArea.Autosize mah={280}>
          <Radio.Group value={chosen} onChange={setChosen} aria-label={t("ticketops.search")}>
            <Stack gap={6}>
              {items.map((x) => (
                <Radio
                  key={x.id}
                  value={x.id}
                  data-testid={`pick-${x.number}`}
                  label={
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm" c="dimmed">
                        #{x.number}
                      </Text>
                      <Text size="sm" lineClamp={1} style={{ flex: 1 }}>
                        {x.subject}
                      </Text>
                      <StatusBadge status={x.status} />
                    </Group>
                  }
                  description={x.requester.name}
                />
              ))}
              {list.isSuccess && items.length === 0 && (
                <Text size="sm" c="dimmed">
                  {t("ticketops.noResults")}
                </Text>
              )}
            </Stack>
          </Radio.Group>
        </ScrollArea.Autosize>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            {t("ticketops.cancel")}
          </Button>
          <Button disabled={!picked} loading={busy} onClick={() => picked && onPick(picked)}>
            {action}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
