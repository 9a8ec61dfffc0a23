import {
  Button,
  Card,
  Checkbox,
  Code,
  ColorInput,
  CopyButton,
  Group,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useTeams } from "../teams/api.ts";
import { type ChatSite, chatApi, type PrechatField, type SiteInput } from "./api.ts";

const LANGS = ["en", "vi", "km", "ta"] as const;
const FIELDS: PrechatField[] = ["name", "email", "phone", "topic"];

const blank: SiteInput = {
  name: "",
  allowedOrigins: [],
  appearance: { color: "#1c64f2", position: "right", greeting: {} },
  languages: ["en", "vi", "km", "ta"],
  prechat: { enabled: false, fields: ["name", "email"], required: [], topics: [] },
  hours: null,
  teamId: null,
  active: true,
};

function SiteForm({ site, onDone }: { site: ChatSite | null; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const teams = useTeams();
  const [v, setV] = useState<SiteInput>(site ? { ...blank, ...site } : blank);
  const [origins, setOrigins] = useState((site?.allowedOrigins ?? []).join("\n"));
  const [topics, setTopics] = useState((site?.prechat.topics ?? []).join("\n"));
  useEffect(() => {
    setV(site ? { ...blank, ...site } : blank);
    setOrigins((site?.allowedOrigins ?? []).join("\n"));
    setTopics((site?.prechat.topics ?? []).join("\n"));
  }, [site]);
  const lines = (s: string) =>
    s
      .split(/\s*\n\s*/)
      .map((x) => x.trim())
      .filter(Boolean);
  const save = useMutation({
    mutationFn: () => {
      const body: SiteInput = {
        name: v.name,
        allowedOrigins: lines(origins).map((o) => o.replace(/\/$/, "")),
        appearance: v.appearance,
        languages: v.languages,
        prechat: { ...v.prechat, topics: lines(topics) },
        hours: v.hours,
        teamId: v.teamId,
        active: v.active,
      };
      return site ? chatApi.updateSite(site.id, body) : chatApi.createSite(body);
    },
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ["chat", "sites"] });
      onDone();
    },
  });
  return (
    <Card withBorder>
      <Stack>
        <TextInput
          label={t("chat.admin.name")}
          value={v.name}
          required
          onChange={(e) => setV({ ...v, name: e.currentTarget.value })}
        />
        <Textarea
          label={t("chat.admin.origins")}
          description={t("chat.admin.originsHelp")}
          value={origins}
          autosize
          minRows={2}
          onChange={(e) => setOrigins(e.currentTarget.value)}
        />
        <Group grow>
          <ColorInput
            label={t("chat.admin.color")}
            value={v.appearance.color}
            format="hex"
            onChange={(color) => setV({ ...v, appearance: { ...v.appearance, color } })}
          />
          <div>
            <Text size="sm" fw={500}>
              {t("chat.admin.position")}
            </Text>
            <SegmentedControl
              value={v.appearance.position}
              onChange={(p) =>
                setV({ ...v, appearance: { ...v.appearance, position: p as "left" | "right" } })
              }
              data={[
                { value: "left", label: t("chat.admin.left") },
                { value: "right", label: t("chat.admin.right") },
              ]}
            />
          </div>
        </Group>
        <MultiSelect
          label={t("chat.admin.languages")}
          data={LANGS.map((l) => ({ value: l, label: t(`chat.lang.${l}`) }))}
          value={v.languages}
          onChange={(ls) => setV({ ...v, languages: ls as SiteInput["languages"] })}
        />
        {v.languages.map((l) => (
          <TextInput
            key={l}
            label={t("chat.admin.greeting", { lang: t(`chat.lang.${l}`) })}
            value={v.appearance.greeting[l] ?? ""}
            maxLength={300}
            onChange={(e) =>
              setV({
                ...v,
                appearance: {
                  ...v.appearance,
                  greeting: { ...v.appearance.greeting, [l]: e.currentTarget.value },
                },
              })
            }
          />
        ))}
        <Switch
          label={t("chat.admin.showTier")}
          checked={v.appearance.showTier ?? false}
          onChange={(e) => setV({ ...v, appearance: { ...v.appearance, showTier: e.currentTarget.checked } })}
        />
        <Switch
          label={t("chat.admin.prechat")}
          checked={v.prechat.enabled}
          onChange={(e) => setV({ ...v, prechat: { ...v.prechat, enabled: e.currentTarget.checked } })}
        />
        {v.prechat.enabled && (
          <Group>
            {FIELDS.map((f) => (
              <Stack key={f} gap={2}>
                <Checkbox
                  label={t(`chat.field.${f}`)}
                  checked={v.prechat.fields.includes(f)}
                  onChange={(e) =>
                    setV({
                      ...v,
                      prechat: {
                        ...v.prechat,
                        fields: e.currentTarget.checked
                          ? [...v.prechat.fields, f]
                          : v.prechat.fields.filter((x) => x !== f),
                      },
                    })
                  }
                />
                <Checkbox
                  size="xs"
                  label={t("chat.admin.required")}
                  checked={v.prechat.required.includes(f)}
                  onChange={(e) =>
                    setV({
                      ...v,
                      prechat: {
                        ...v.prechat,
                        required: e.currentTarget.checked
                          ? [...v.prechat.required, f]
                          : v.prechat.required.filter((x) => x !== f),
                      },
                    })
                  }
                />
              </Stack>
            ))}
          </Group>
        )}
        {v.prechat.enabled && v.prechat.fields.includes("topic") && (
          <Textarea
            label={t("chat.admin.topics")}
            value={topics}
            autosize
            onChange={(e) => setTopics(e.currentTarget.value)}
          />
        )}
        <Select
          label={t("chat.admin.team")}
          clearable
          value={v.teamId}
          onChange={(teamId) => setV({ ...v, teamId })}
          data={(teams.data ?? []).map((tm) => ({ value: tm.id, label: tm.name }))}
        />
        <Switch
          label={t("chat.admin.active")}
          checked={v.active}
          onChange={(e) => setV({ ...v, active: e.currentTarget.checked })}
        />
        {save.isError && (
          <Text c="red" size="sm" role="alert">
            {(save.error as Error).message}
          </Text>
        )}
        <Group>
          <Button onClick={() => save.mutate()} loading={save.isPending} disabled={!v.name.trim()}>
            {t("chat.admin.save")}
          </Button>
          <Button variant="subtle" onClick={onDone}>
            {t("chat.admin.cancel")}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

/** Admin → Chat: sites (snippet, secret, appearance, origins, languages, pre-chat) and the per-agent limit. */
export default function ChatAdmin() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { data: sites } = useQuery({ queryKey: ["chat", "sites"], queryFn: chatApi.sites });
  const { data: settings } = useQuery({ queryKey: ["chat", "settings"], queryFn: chatApi.settings });
  const [editing, setEditing] = useState<ChatSite | "new" | null>(null);
  const [limit, setLimit] = useState<number | string>("");
  useEffect(() => setLimit(settings?.maxChatsPerAgent ?? ""), [settings]);
  const saveLimit = useMutation({
    mutationFn: () => chatApi.setSettings(Number(limit)),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["chat", "settings"] }),
  });
  const rotate = useMutation({
    mutationFn: chatApi.rotate,
    onSuccess: () => qc.invalidateQueries({ queryKey: ["chat", "sites"] }),
  });
  return (
    <Stack>
      <Card withBorder>
        <Group align="flex-end">
          <NumberInput
            label={t("chat.admin.limit")}
            description={t("chat.admin.limitHelp")}
            min={1}
            max={50}
            value={limit}
            onChange={setLimit}
          />
          <Button onClick={() => saveLimit.mutate()} loading={saveLimit.isPending}>
            {t("chat.admin.save")}
          </Button>
        </Group>
      </Card>
      <Group justify="space-between">
        <Title order={3}>{t("chat.admin.sites")}</Title>
        <Button onClick={() => setEditing("new")}>{t("chat.admin.add")}</Button>
      </Group>
      {editing && <SiteForm site={editing === "new" ? null : editing} onDone={() => setEditing(null)} />}
      {sites?.length === 0 && !editing && <Text c="dimmed">{t("chat.admin.none")}</Text>}
      {sites?.map((s) => (
        <Card withBorder key={s.id} data-testid="chat-site">
          <Group justify="space-between">
            <Text fw={600}>{s.name}</Text>
            <Button size="xs" variant="light" onClick={() => setEditing(s)}>
              {t("chat.admin.edit")}
            </Button>
          </Group>
          <Text size="sm" mt="xs">
            {t("chat.admin.snippet")}
          </Text>
          {/* Focusable: on a phone the snippet scrolls sideways, and a keyboard must reach it (axe). */}
          <Code block data-testid="chat-snippet" tabIndex={0}>
            {s.snippet}
          </Code>
          <CopyButton value={s.snippet}>
            {({ copied, copy }) => (
              <Button size="xs" variant="subtle" onClick={copy}>
                {copied ? t("chat.admin.copied") : t("chat.admin.copy")}
              </Button>
            )}
          </CopyButton>
          <Text size="sm" mt="xs">
            {t("chat.admin.secret")}
          </Text>
          <Text size="xs" c="dimmed">
            {t("chat.admin.secretHelp")}
          </Text>
          <Group gap="xs">
            <Code>{s.secret}</Code>
            <Button
              size="xs"
              variant="subtle"
              color="red"
              onClick={() => window.confirm(t("chat.admin.rotateConfirm")) && rotate.mutate(s.id)}
            >
              {t("chat.admin.rotate")}
            </Button>
          </Group>
          <Text size="xs" c="dimmed" mt="xs">
            {t("chat.admin.origins")}: {s.allowedOrigins.join(", ") || "—"}
          </Text>
        </Card>
      ))}
    </Stack>
  );
}
