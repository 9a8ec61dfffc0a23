import {
  Alert,
  Badge,
  Button,
  Group,
  Popover,
  ScrollArea,
  Stack,
  Text,
  TextInput,
  UnstyledButton,
} from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { post } from "../../lib/api.ts";
import type { Ticket } from "../../lib/types.ts";
import { type AppliedMacro, type Macro, useMacros } from "./api.ts";

/** Beside the reply box: search the macros, apply one (its actions run, its text goes into the reply). */
export function MacroPicker({ ticket, insert }: { ticket: Ticket; insert: (text: string) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState("");
  const macros = useMacros(q);
  const apply = useMutation({
    mutationFn: (m: Macro) => post<AppliedMacro>(`/macros/${m.id}/apply`, { ticketId: ticket.id }),
    onSuccess: (res) => {
      insert(res.text);
      setOpen(false);
      setQ("");
      for (const key of [["ticket", ticket.id], ["events", ticket.id], ["tickets"], ["macros"]])
        void qc.invalidateQueries({ queryKey: key });
    },
  });
  return (
    <Popover opened={open} onChange={setOpen} position="top-start" width={360} trapFocus withArrow>
      <Popover.Target>
        <Button variant="default" size="xs" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
          {t("macros.pick")}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs">
          <TextInput
            label={t("macros.search")}
            placeholder={t("macros.searchPlaceholder")}
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            data-autofocus
            size="xs"
          />
          {apply.error && <Alert color="red">{apply.error.message}</Alert>}
          <ScrollArea.Autosize mah={280}>
            <Stack gap={4} role="listbox" aria-label={t("macros.title")}>
              {(macros.data ?? []).map((m) => (
                <UnstyledButton
                  key={m.id}
                  role="option"
                  aria-selected={false}
                  onClick={() => apply.mutate(m)}
                  disabled={apply.isPending}
                  p={6}
                  style={{ borderRadius: 4 }}
                >
                  <Group justify="space-between" wrap="nowrap">
                    <Text size="sm" fw={500} truncate>
                      {m.title}
                    </Text>
                    <Group gap={4} wrap="nowrap">
                      {Object.keys(m.bodies).map((l) => (
                        <Badge key={l} size="xs" variant="light">
                          {l}
                        </Badge>
                      ))}
                      {!m.shared && (
                        <Badge size="xs" color="gray">
                          {t("macros.personal")}
                        </Badge>
                      )}
                    </Group>
                  </Group>
                  <Text size="xs" c="dimmed" lineClamp={1}>
                    {Object.values(m.bodies)[0]}
                  </Text>
                </UnstyledButton>
              ))}
              {macros.data?.length === 0 && (
                <Text size="sm" c="dimmed">
                  {t("macros.none")}
                </Text>
              )}
            </Stack>
          </ScrollArea.Autosize>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
