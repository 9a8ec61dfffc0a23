import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  Group,
  Paper,
  Select,
  Stack,
  Table,
  Tabs,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import type { ToneCheckResult, ToneFinding } from "@rapport/server/contract";
import { TICKET_PRIORITIES, TICKET_STATUSES, type TicketPriority, type TicketStatus } from "@rapport/shared";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { del, post } from "../../lib/api.ts";
import type { Me } from "../../lib/types.ts";
import { replaceFinding, ToneSuggestions } from "../tone/ToneHighlights.tsx";
import { type Macro, type MacroAction, useMacros } from "./api.ts";

const LANGS = ["en", "vi", "km", "ta"] as const;
const PLACEHOLDERS = [
  "customer.first_name",
  "customer.name",
  "ticket.number",
  "ticket.subject",
  "agent.name",
  "promised_response_time",
];

/** Macros: shared ones (admins, managers) and the agent's own; create, list, delete. */
export default function MacrosAdmin({ me }: { me: Me }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const list = useMacros("");
  const canShare = me.user.role !== "agent";
  const [bodies, setBodies] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<TicketStatus | null>(null);
  const [priority, setPriority] = useState<TicketPriority | null>(null);
  const [tags, setTags] = useState<string[]>([]);
  const [toMe, setToMe] = useState(false);
  const refresh = () => qc.invalidateQueries({ queryKey: ["macros"] });
  const create = useMutation({ mutationFn: (b: unknown) => post<Macro>("/macros", b), onSuccess: refresh });
  const remove = useMutation({ mutationFn: (id: string) => del(`/macros/${id}`), onSuccess: refresh });
  // Macros are tone-checked when saved: flagged phrases are shown first, "save anyway" saves.
  const [toneReview, setToneReview] = useState<Record<string, ToneFinding[]> | null>(null);
  const toneLeft = Object.entries(toneReview ?? {}).flatMap(([l, fs]) =>
    fs.filter((x) => (bodies[l] ?? "").slice(x.start, x.end) === x.text).map((x) => ({ l, x })),
  );

  async function checkTone(filled: Record<string, string>) {
    const found: Record<string, ToneFinding[]> = {};
    for (const [l, text] of Object.entries(filled)) {
      try {
        const r = await post<ToneCheckResult>("/tone/check", { text, lang: l });
        if (r.findings.length) found[l] = r.findings;
      } catch {
        // The check never blocks saving.
      }
    }
    return found;
  }

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const anyway = (e.nativeEvent as SubmitEvent).submitter?.getAttribute("data-anyway") === "1";
    const f = new FormData(form);
    const actions: MacroAction[] = [];
    if (status) actions.push({ type: "set_status", value: status });
    if (priority) actions.push({ type: "set_priority", value: priority });
    if (tags.length) actions.push({ type: "add_tags", tags });
    if (toMe) actions.push({ type: "assign_to_me" });
    const filled = Object.fromEntries(Object.entries(bodies).filter(([, v]) => v.trim()));
    if (!anyway) {
      const found = await checkTone(filled);
      if (Object.keys(found).length) {
        setToneReview(found);
        return;
      }
    }
    setToneReview(null);
    create.mutate(
      { title: f.get("title"), shared: canShare && f.get("shared") === "on", bodies: filled, actions },
      {
        onSuccess: () => {
          form.reset();
          setBodies({});
          setStatus(null);
          setPriority(null);
          setTags([]);
          setToMe(false);
        },
      },
    );
  }

  return (
    <Stack>
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="sm">
          {t("macros.create")}
        </Title>
        <form onSubmit={(e) => void submit(e)}>
          <Stack>
            <TextInput name="title" label={t("macros.fieldTitle")} required maxLength={200} />
            <Tabs defaultValue="en">
              <Tabs.List>
                {LANGS.map((l) => (
                  <Tabs.Tab key={l} value={l}>
                    {t(`macros.lang.${l}`)}
                  </Tabs.Tab>
                ))}
              </Tabs.List>
              {LANGS.map((l) => (
                <Tabs.Panel key={l} value={l} pt="xs">
                  <Textarea
                    label={t("macros.body", { lang: t(`macros.lang.${l}`) })}
                    autosize
                    minRows={3}
                    value={bodies[l] ?? ""}
                    onChange={(e) => {
                      const v = e.currentTarget.value;
                      setBodies((b) => ({ ...b, [l]: v }));
                    }}
                  />
                </Tabs.Panel>
              ))}
            </Tabs>
            <Text size="xs" c="dimmed">
              {t("macros.placeholders")}{" "}
              {PLACEHOLDERS.map((p) => (
                <Code key={p} mr={4}>{`{{${p}}}`}</Code>
              ))}
            </Text>
            <Group align="flex-end">
              <Select
                label={t("macros.setStatus")}
                data={TICKET_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
                value={status}
                onChange={(v) => setStatus(v as TicketStatus | null)}
                clearable
              />
              <Select
                label={t("macros.setPriority")}
                data={TICKET_PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
                value={priority}
                onChange={(v) => setPriority(v as TicketPriority | null)}
                clearable
              />
              <TagsInput label={t("macros.addTags")} value={tags} onChange={setTags} />
              <Checkbox
                label={t("macros.assignToMe")}
                checked={toMe}
                onChange={(e) => setToMe(e.currentTarget.checked)}
              />
            </Group>
            {canShare && <Checkbox name="shared" label={t("macros.shared")} defaultChecked />}
            {create.error && <Alert color="red">{create.error.message}</Alert>}
            {toneLeft.length > 0 &&
              LANGS.filter((l) => toneLeft.some((x) => x.l === l)).map((l) => (
                <Stack key={l} gap={4}>
                  <Text size="sm" fw={600}>
                    {t(`macros.lang.${l}`)}
                  </Text>
                  <ToneSuggestions
                    findings={toneLeft.filter((x) => x.l === l).map((x) => x.x)}
                    onReplace={(fd, sug) =>
                      setBodies((b) => ({ ...b, [l]: replaceFinding(b[l] ?? "", fd, sug) }))
                    }
                  />
                </Stack>
              ))}
            <Group>
              <Button type="submit" loading={create.isPending}>
                {t("macros.save")}
              </Button>
              {toneLeft.length > 0 && (
                <Button type="submit" variant="default" data-anyway="1">
                  {t("tone.saveAnyway")}
                </Button>
              )}
            </Group>
          </Stack>
        </form>
      </Paper>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("macros.fieldTitle")}</Table.Th>
            <Table.Th>{t("macros.languages")}</Table.Th>
            <Table.Th>{t("macros.visibility")}</Table.Th>
            <Table.Th>{t("macros.used")}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(list.data ?? []).map((m) => (
            <Table.Tr key={m.id}>
              <Table.Td>{m.title}</Table.Td>
              <Table.Td>{Object.keys(m.bodies).join(", ")}</Table.Td>
              <Table.Td>
                <Badge variant="light" color={m.shared ? "blue" : "gray"}>
                  {m.shared ? t("macros.sharedBadge") : t("macros.personal")}
                </Badge>
              </Table.Td>
              <Table.Td>{m.usageCount}</Table.Td>
              <Table.Td>
                {m.editable && (
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    onClick={() => remove.mutate(m.id)}
                    aria-label={t("macros.deleteNamed", { name: m.title })}
                  >
                    {t("macros.delete")}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
