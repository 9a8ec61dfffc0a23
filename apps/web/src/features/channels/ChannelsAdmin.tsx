import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Paper,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import type {
  ChannelRefusalList,
  WebhookChannel,
  WebhookChannelList,
  WebhookChannelWithSecret,
} from "@rapport/server/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, get, patch, post } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";

type Channel = WebhookChannel;
type WithSecret = WebhookChannelWithSecret;

function SecretOnce({ channel, onClose }: { channel: WithSecret; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert
      color="yellow"
      title={t("channels.secret.title", { name: channel.name })}
      withCloseButton
      onClose={onClose}
    >
      <Stack gap={4}>
        <Text size="sm">{t("channels.secret.once")}</Text>
        <Text size="sm" fw={600}>
          {t("channels.inboundUrl")}
        </Text>
        <Code block>{channel.inboundUrl}</Code>
        <Text size="sm" fw={600}>
          {t("channels.secret")}
        </Text>
        <Code block data-testid="channel-secret">
          {channel.secret}
        </Code>
        <CopyButton value={channel.secret}>
          {({ copied, copy }) => (
            <Button size="xs" variant="light" onClick={copy} w="fit-content">
              {copied ? t("channels.copied") : t("channels.copySecret")}
            </Button>
          )}
        </CopyButton>
      </Stack>
    </Alert>
  );
}

function OutboundEditor({ channel }: { channel: Channel }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [url, setUrl] = useState(channel.outboundUrl ?? "");
  const save = useMutation({
    mutationFn: (body: { outboundUrl?: string | null; active?: boolean }) =>
      patch(`/channels/${channel.id}`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["channels"] }),
  });
  return (
    <Group gap="xs" wrap="nowrap">
      <TextInput
        size="xs"
        aria-label={t("channels.outboundUrl")}
        value={url}
        onChange={(e) => setUrl(e.currentTarget.value)}
        placeholder="https://bridge.example.com/rapport"
        w={260}
      />
      <Button size="xs" variant="light" onClick={() => save.mutate({ outboundUrl: url.trim() || null })}>
        {t("channels.save")}
      </Button>
      <Switch
        size="xs"
        label={t("channels.active")}
        checked={channel.active}
        onChange={(e) => save.mutate({ active: e.currentTarget.checked })}
      />
      {save.isError && (
        <Text c="red" size="xs" role="alert">
          {save.error instanceof ApiError ? save.error.message : t("channels.error")}
        </Text>
      )}
    </Group>
  );
}

/** Admin tab: webhook channels (create, inbound URL + secret once, rotate, outbound URL) and the refusal log. */
export default function ChannelsAdmin() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const channels = useQuery({
    queryKey: ["channels"],
    queryFn: () => get<WebhookChannelList>("/channels"),
  });
  const refusals = useQuery({
    queryKey: ["channels", "refusals"],
    queryFn: () => get<ChannelRefusalList>("/channels/refusals?limit=50"),
  });
  const [name, setName] = useState("");
  const [outbound, setOutbound] = useState("");
  const [shown, setShown] = useState<WithSecret | null>(null);
  const create = useMutation({
    mutationFn: () =>
      post<WithSecret>("/channels", { name: name.trim(), outboundUrl: outbound.trim() || null }),
    onSuccess: (c) => {
      setShown(c);
      setName("");
      setOutbound("");
      void qc.invalidateQueries({ queryKey: ["channels"] });
    },
  });
  const rotate = useMutation({
    mutationFn: (id: string) => post<WithSecret>(`/channels/${id}/rotate-secret`),
    onSuccess: (c) => {
      setShown(c);
      void qc.invalidateQueries({ queryKey: ["channels"] });
    },
  });
  const names = new Map((channels.data?.items ?? []).map((c) => [c.id, c.name]));
  function submit(e: FormEvent) {
    e.preventDefault();
    if (name.trim()) create.mutate();
  }
  return (
    <Stack gap="md">
      <Title order={2} size="h4">
        {t("channels.title")}
      </Title>
      <Text size="sm" c="dimmed">
        {t("channels.intro")}
      </Text>
      {shown && <SecretOnce channel={shown} onClose={() => setShown(null)} />}
      <Paper withBorder p="sm">
        <form onSubmit={submit}>
          <Group align="flex-end">
            <TextInput
              label={t("channels.name")}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              required
              maxLength={100}
            />
            <TextInput
              label={t("channels.outboundUrl")}
              value={outbound}
              onChange={(e) => setOutbound(e.currentTarget.value)}
              placeholder="https://bridge.example.com/rapport"
              w={300}
            />
            <Button type="submit" loading={create.isPending}>
              {t("channels.create")}
            </Button>
          </Group>
          {create.isError && (
            <Text c="red" size="sm" role="alert">
              {create.error instanceof ApiError ? create.error.message : t("channels.error")}
            </Text>
          )}
        </form>
      </Paper>
      <Table data-testid="channels-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("channels.name")}</Table.Th>
            <Table.Th>{t("channels.inboundUrl")}</Table.Th>
            <Table.Th>{t("channels.outboundUrl")}</Table.Th>
            <Table.Th>{t("channels.secret")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(channels.data?.items ?? []).map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>
                {c.name} {!c.active && <Badge color="gray">{t("channels.inactive")}</Badge>}
              </Table.Td>
              <Table.Td>
                <Code>{c.inboundUrl}</Code>
              </Table.Td>
              <Table.Td>
                <OutboundEditor channel={c} />
              </Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Code>…{c.secretFingerprint}</Code>
                  <Button size="xs" variant="subtle" color="red" onClick={() => rotate.mutate(c.id)}>
                    {t("channels.rotate")}
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Title order={3} size="h5">
        {t("channels.refusals")}
      </Title>
      {(refusals.data?.items ?? []).length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("channels.noRefusals")}
        </Text>
      ) : (
        <Table striped data-testid="refusals-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("channels.when")}</Table.Th>
              <Table.Th>{t("channels.channel")}</Table.Th>
              <Table.Th>{t("channels.why")}</Table.Th>
              <Table.Th>{t("channels.from")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(refusals.data?.items ?? []).map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{formatDateTime(r.createdAt)}</Table.Td>
                <Table.Td>{(r.channelId && names.get(r.channelId)) || "—"}</Table.Td>
                <Table.Td>
                  <Badge color="red" variant="light">
                    {t(`channels.code.${r.code}`, { defaultValue: r.code })}
                  </Badge>{" "}
                  <Text span size="xs">
                    {r.reason}
                  </Text>
                </Table.Td>
                <Table.Td>{r.ip ?? ""}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
