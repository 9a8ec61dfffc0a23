import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Divider,
  Group,
  Modal,
  NumberInput,
  PasswordInput,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Tabs,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { LOCALES, type Locale, TICKET_PRIORITIES, type TicketPriority } from "@rapport/shared";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ConfirmModal, DataTable, ListPanel } from "../../components/kit/index.ts";
import { LOCALE_NAMES } from "../../i18n/index.ts";
import { ApiError } from "../../lib/api.ts";
import { useTeams } from "../teams/api.ts";
import { type Mailbox, useDeleteMailbox, useMailboxes, useSaveMailbox } from "./api.ts";

type Form = {
  address: string;
  displayName: string;
  teamId: string | null;
  defaultPriority: TicketPriority;
  inbound: "smtp" | "imap";
  imapHost: string;
  imapPort: number | string;
  imapTls: boolean;
  imapUser: string;
  imapPassword: string;
  imapClearPassword: boolean;
  imapFolder: string;
  imapMoveTo: string;
  imapPollSeconds: number | string;
  smtpHost: string;
  smtpPort: number | string;
  smtpTls: "none" | "starttls" | "tls";
  smtpUser: string;
  smtpPassword: string;
  smtpClearPassword: boolean;
  ackEnabled: boolean;
  ackArticles: boolean;
  templates: Record<Locale, { subject: string; body: string }>;
  active: boolean;
};

const emptyTemplates = () =>
  Object.fromEntries(LOCALES.map((l) => [l, { subject: "", body: "" }])) as Form["templates"];

function toForm(m: Mailbox | null): Form {
  const templates = emptyTemplates();
  for (const l of LOCALES) {
    const tpl = m?.ackTemplates[l];
    if (tpl) templates[l] = { ...tpl };
  }
  return {
    address: m?.address ?? "",
    displayName: m?.displayName ?? "",
    teamId: m?.teamId ?? null,
    defaultPriority: m?.defaultPriority ?? "normal",
    inbound: m?.inbound ?? "smtp",
    imapHost: m?.imap.host ?? "",
    imapPort: m?.imap.port ?? "",
    imapTls: m?.imap.tls ?? true,
    imapUser: m?.imap.user ?? "",
    imapPassword: "",
    imapClearPassword: false,
    imapFolder: m?.imap.folder ?? "INBOX",
    imapMoveTo: m?.imap.moveTo ?? "",
    imapPollSeconds: m?.imap.pollSeconds ?? 60,
    smtpHost: m?.smtp.host ?? "",
    smtpPort: m?.smtp.port ?? "",
    smtpTls: m?.smtp.tls ?? "starttls",
    smtpUser: m?.smtp.user ?? "",
    smtpPassword: "",
    smtpClearPassword: false,
    ackEnabled: m?.ackEnabled ?? true,
    ackArticles: m?.ackArticles ?? false,
    templates,
    active: m?.active ?? true,
  };
}

const num = (v: number | string) => (typeof v === "number" ? v : v.trim() ? Number(v) : null);
const orNull = (s: string) => (s.trim() ? s.trim() : null);
/** A password is sent only when typed (replace) or when clearing was asked; otherwise the saved one stays. */
const secret = (typed: string, clear: boolean) => (typed ? typed : clear ? null : undefined);

function toBody(f: Form): Record<string, unknown> {
  const ackTemplates = Object.fromEntries(
    LOCALES.filter((l) => f.templates[l].subject.trim() && f.templates[l].body.trim()).map((l) => [
      l,
      { subject: f.templates[l].subject.trim(), body: f.templates[l].body },
    ]),
  );
  const body: Record<string, unknown> = {
    address: f.address.trim(),
    displayName: f.displayName.trim(),
    teamId: f.teamId,
    defaultPriority: f.defaultPriority,
    inbound: f.inbound,
    imap: {
      host: orNull(f.imapHost),
      port: num(f.imapPort),
      tls: f.imapTls,
      user: orNull(f.imapUser),
      password: secret(f.imapPassword, f.imapClearPassword),
      folder: f.imapFolder.trim() || "INBOX",
      moveTo: orNull(f.imapMoveTo),
      pollSeconds: num(f.imapPollSeconds) ?? 60,
    },
    smtp: {
      host: orNull(f.smtpHost),
      port: num(f.smtpPort),
      tls: f.smtpTls,
      user: orNull(f.smtpUser),
      password: secret(f.smtpPassword, f.smtpClearPassword),
    },
    ackEnabled: f.ackEnabled,
    ackArticles: f.ackArticles,
    ackTemplates,
    active: f.active,
  };
  return body;
}

function MailboxForm({ mailbox, onDone }: { mailbox: Mailbox | null; onDone: () => void }) {
  const { t } = useTranslation();
  const teams = useTeams().data ?? [];
  const save = useSaveMailbox();
  const [f, setF] = useState<Form>(() => toForm(mailbox));
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setF((old) => ({ ...old, [k]: v }));
  const setTemplate = (l: Locale, part: "subject" | "body", v: string) =>
    setF((old) => ({ ...old, templates: { ...old.templates, [l]: { ...old.templates[l], [part]: v } } }));

  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate({ id: mailbox?.id ?? null, body: toBody(f) }, { onSuccess: onDone });
  }
  const error = save.error instanceof ApiError ? save.error : null;

  return (
    <form onSubmit={submit} aria-label={t("email.mailbox.form")}>
      <Stack gap="sm">
        <Group grow align="flex-start">
          <TextInput
            label={t("email.mailbox.address")}
            type="email"
            required
            maxLength={254}
            value={f.address}
            onChange={(e) => set("address", e.currentTarget.value)}
          />
          <TextInput
            label={t("email.mailbox.displayName")}
            required
            maxLength={120}
            value={f.displayName}
            onChange={(e) => set("displayName", e.currentTarget.value)}
          />
        </Group>
        <Group grow align="flex-start">
          <Select
            label={t("email.mailbox.team")}
            clearable
            value={f.teamId}
            onChange={(v) => set("teamId", v)}
            data={teams.map((tm) => ({ value: tm.id, label: tm.name }))}
          />
          <Select
            label={t("email.mailbox.priority")}
            value={f.defaultPriority}
            allowDeselect={false}
            onChange={(v) => v && set("defaultPriority", v as TicketPriority)}
            data={TICKET_PRIORITIES.map((p) => ({ value: p, label: t(`priority.${p}`) }))}
          />
        </Group>
        <Switch
          label={t("email.mailbox.active")}
          checked={f.active}
          onChange={(e) => set("active", e.currentTarget.checked)}
        />

        <Divider label={t("email.mailbox.inbound")} labelPosition="left" />
        <SegmentedControl
          aria-label={t("email.mailbox.inbound")}
          value={f.inbound}
          onChange={(v) => set("inbound", v as Form["inbound"])}
          data={[
            { value: "smtp", label: t("email.mailbox.inboundSmtp") },
            { value: "imap", label: t("email.mailbox.inboundImap") },
          ]}
        />
        {f.inbound === "smtp" ? (
          <Text size="sm" c="dimmed">
            {t("email.mailbox.smtpInboundHelp")}
          </Text>
        ) : (
          <Stack gap="xs">
            <Group grow align="flex-start">
              <TextInput
                label={t("email.mailbox.imapHost")}
                required
                value={f.imapHost}
                onChange={(e) => set("imapHost", e.currentTarget.value)}
              />
              <NumberInput
                label={t("email.mailbox.port")}
                min={1}
                max={65535}
                value={f.imapPort}
                onChange={(v) => set("imapPort", v)}
              />
            </Group>
            <Checkbox
              label={t("email.mailbox.imapTls")}
              checked={f.imapTls}
              onChange={(e) => set("imapTls", e.currentTarget.checked)}
            />
            <Group grow align="flex-start">
              <TextInput
                label={t("email.mailbox.user")}
                autoComplete="off"
                value={f.imapUser}
                onChange={(e) => set("imapUser", e.currentTarget.value)}
              />
              <PasswordInput
                label={t("email.mailbox.imapPassword")}
                autoComplete="new-password"
                placeholder={mailbox?.imap.hasPassword ? t("email.mailbox.passwordKept") : undefined}
                value={f.imapPassword}
                onChange={(e) => set("imapPassword", e.currentTarget.value)}
              />
            </Group>
            {mailbox?.imap.hasPassword && (
              <Checkbox
                label={t("email.mailbox.clearImapPassword")}
                checked={f.imapClearPassword}
                onChange={(e) => set("imapClearPassword", e.currentTarget.checked)}
              />
            )}
            <Group grow align="flex-start">
              <TextInput
                label={t("email.mailbox.folder")}
                value={f.imapFolder}
                onChange={(e) => set("imapFolder", e.currentTarget.value)}
              />
              <TextInput
                label={t("email.mailbox.moveTo")}
                description={t("email.mailbox.moveToHelp")}
                value={f.imapMoveTo}
                onChange={(e) => set("imapMoveTo", e.currentTarget.value)}
              />
              <NumberInput
                label={t("email.mailbox.pollSeconds")}
                description={t("email.mailbox.pollSecondsHelp")}
                min={5}
                max={3600}
                value={f.imapPollSeconds}
                onChange={(v) => set("imapPollSeconds", v)}
              />
            </Group>
          </Stack>
        )}

        <Divider label={t("email.mailbox.outbound")} labelPosition="left" />
        <Group grow align="flex-start">
          <TextInput
            label={t("email.mailbox.smtpHost")}
            value={f.smtpHost}
            onChange={(e) => set("smtpHost", e.currentTarget.value)}
          />
          <NumberInput
            label={t("email.mailbox.port")}
            min={1}
            max={65535}
            value={f.smtpPort}
            onChange={(v) => set("smtpPort", v)}
          />
          <Select
            label={t("email.mailbox.smtpTls")}
            value={f.smtpTls}
            allowDeselect={false}
            onChange={(v) => v && set("smtpTls", v as Form["smtpTls"])}
            data={[
              { value: "starttls", label: "STARTTLS" },
              { value: "tls", label: "TLS" },
              { value: "none", label: t("email.mailbox.tlsNone") },
            ]}
          />
        </Group>
        <Group grow align="flex-start">
          <TextInput
            label={t("email.mailbox.user")}
            autoComplete="off"
            value={f.smtpUser}
            onChange={(e) => set("smtpUser", e.currentTarget.value)}
          />
          <PasswordInput
            label={t("email.mailbox.smtpPassword")}
            autoComplete="new-password"
            placeholder={mailbox?.smtp.hasPassword ? t("email.mailbox.passwordKept") : undefined}
            value={f.smtpPassword}
            onChange={(e) => set("smtpPassword", e.currentTarget.value)}
          />
        </Group>
        {mailbox?.smtp.hasPassword && (
          <Checkbox
            label={t("email.mailbox.clearSmtpPassword")}
            checked={f.smtpClearPassword}
            onChange={(e) => set("smtpClearPassword", e.currentTarget.checked)}
          />
        )}

        <Divider label={t("email.mailbox.ack")} labelPosition="left" />
        <Switch
          label={t("email.mailbox.ackEnabled")}
          checked={f.ackEnabled}
          onChange={(e) => set("ackEnabled", e.currentTarget.checked)}
        />
        {f.ackEnabled && (
          <>
            <Switch
              label={t("email.mailbox.ackArticles")}
              checked={f.ackArticles}
              onChange={(e) => set("ackArticles", e.currentTarget.checked)}
            />
            <Text size="sm" c="dimmed">
              {t("email.mailbox.ackHelp")}
            </Text>
            <Tabs defaultValue="en">
              <Tabs.List>
                {LOCALES.map((l) => (
                  <Tabs.Tab key={l} value={l}>
                    {LOCALE_NAMES[l]}
                  </Tabs.Tab>
                ))}
              </Tabs.List>
              {LOCALES.map((l) => (
                <Tabs.Panel key={l} value={l} pt="xs">
                  <Stack gap="xs">
                    <TextInput
                      label={t("email.mailbox.ackSubject", { language: LOCALE_NAMES[l] })}
                      maxLength={300}
                      value={f.templates[l].subject}
                      onChange={(e) => setTemplate(l, "subject", e.currentTarget.value)}
                    />
                    <Textarea
                      label={t("email.mailbox.ackBody", { language: LOCALE_NAMES[l] })}
                      autosize
                      minRows={3}
                      maxLength={10_000}
                      value={f.templates[l].body}
                      onChange={(e) => setTemplate(l, "body", e.currentTarget.value)}
                    />
                  </Stack>
                </Tabs.Panel>
              ))}
            </Tabs>
          </>
        )}

        {error && (
          <Alert color="red" role="alert">
            {error.status === 409 ? t("email.mailbox.duplicate") : error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t("common.save")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Admin: the mailboxes customers write to, how each receives and sends. */
export function MailboxesPanel() {
  const { t } = useTranslation();
  const mailboxes = useMailboxes();
  const teams = useTeams().data ?? [];
  const remove = useDeleteMailbox();
  const [editing, setEditing] = useState<Mailbox | "new" | null>(null);
  const [deleting, setDeleting] = useState<Mailbox | null>(null);

  const rows = mailboxes.data ?? [];
  return (
    <Stack>
      <ListPanel
        title={t("email.mailboxes")}
        controls={<Button onClick={() => setEditing("new")}>{t("email.mailbox.add")}</Button>}
        errors={[mailboxes.isError && t("common.error")]}
        empty={mailboxes.data?.length === 0 && t("email.mailbox.none")}
      >
        {rows.length > 0 && (
          <DataTable
            label={t("email.mailboxes")}
            rows={rows}
            rowKey={(m) => m.id}
            rowProps={() => ({ "data-testid": "mailbox-row" })}
            columns={[
              {
                key: "address",
                header: t("email.mailbox.address"),
                cell: (m) => (
                  <Group gap={6}>
                    <Text size="sm">{m.address}</Text>
                    {!m.active && (
                      <Badge color="gray" size="xs">
                        {t("email.mailbox.inactive")}
                      </Badge>
                    )}
                  </Group>
                ),
              },
              { key: "name", header: t("email.mailbox.displayName"), cell: (m) => m.displayName },
              {
                key: "team",
                header: t("email.mailbox.team"),
                cell: (m) => teams.find((tm) => tm.id === m.teamId)?.name ?? "—",
              },
              {
                key: "inbound",
                header: t("email.mailbox.inbound"),
                cell: (m) =>
                  m.inbound === "imap"
                    ? `IMAP ${m.imap.host ?? ""}${m.imap.port ? `:${m.imap.port}` : ""}`
                    : t("email.mailbox.inboundSmtp"),
              },
              {
                key: "outbound",
                header: t("email.mailbox.outbound"),
                cell: (m) => (m.smtp.host ? `${m.smtp.host}${m.smtp.port ? `:${m.smtp.port}` : ""}` : "—"),
              },
              {
                key: "actions",
                header: t("common.actions"),
                hiddenHeader: true,
                cell: (m) => (
                  <Group gap={4} wrap="nowrap">
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      onClick={() => setEditing(m)}
                      aria-label={t("email.mailbox.editOne", { address: m.address })}
                    >
                      {t("common.edit")}
                    </Button>
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      onClick={() => setDeleting(m)}
                      aria-label={t("email.mailbox.deleteOne", { address: m.address })}
                    >
                      {t("common.delete")}
                    </Button>
                  </Group>
                ),
              },
            ]}
          />
        )}
      </ListPanel>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        size="xl"
        title={editing === "new" ? t("email.mailbox.add") : t("email.mailbox.edit")}
      >
        {editing !== null && (
          <MailboxForm
            key={editing === "new" ? "new" : editing.id}
            mailbox={editing === "new" ? null : editing}
            onDone={() => setEditing(null)}
          />
        )}
      </Modal>
      <ConfirmModal
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title={t("email.mailbox.delete")}
        error={remove.isError && t("common.error")}
        pending={remove.isPending}
        color="red"
        submitLabel={t("common.delete")}
        onConfirm={() => deleting && remove.mutate(deleting.id, { onSuccess: () => setDeleting(null) })}
      >
        <Text>{t("email.mailbox.deleteConfirm", { address: deleting?.address ?? "" })}</Text>
      </ConfirmModal>
    </Stack>
  );
}
