import {
  Alert,
  Box,
  Button,
  Checkbox,
  Container,
  FileInput,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from "@mantine/core";
import type { Locale } from "@rapport/shared";
import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { isLocale, LOCALE_NAMES, setLocale } from "../../i18n/index.ts";
import { FormSuggestions, newSuggestionSid } from "./FormSuggestions.tsx";

type FieldDef = {
  key: string;
  type: "text" | "number" | "date" | "select" | "boolean";
  label: string;
  labels: Record<string, string>;
  required: boolean;
  options: { value: string; label: string; labels: Record<string, string> }[];
};
/** `emailReplies`: a mailbox can send, so the form may promise an answer by email. */
type FormConfig = {
  token: string;
  emailReplies: boolean;
  maxFiles: number;
  maxFileBytes: number;
  fields: FieldDef[];
};
type Sent = { ticketNumber: number; acknowledgement: boolean; callbackRequested: boolean };

/** The visitor's language: ?lang=, else the first browser language we ship, else English. */
function visitorLocale(): Locale {
  const q = new URLSearchParams(window.location.search).get("lang");
  if (isLocale(q)) return q;
  for (const l of navigator.languages ?? [navigator.language]) {
    const short = l.slice(0, 2).toLowerCase();
    if (isLocale(short)) return short;
  }
  return "en";
}

/** Public calls never carry an agent's session cookie (which would demand a CSRF token). */
async function publicFetch<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`/api/v1${path}`, { ...init, credentials: "omit" });
  const data = (await res.json().catch(() => ({}))) as T & {
    error?: { code: string; message: string; details?: { reason?: string } };
  };
  if (!res.ok)
    throw Object.assign(new Error(data.error?.message ?? res.statusText), { status: res.status, data });
  return data;
}

function toLocalInput(d: Date) {
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** The public contact form at /support/new; `?embed=1` drops the page chrome for an iframe. */
export function SupportFormPage() {
  const { t, i18n } = useTranslation();
  const embed = new URLSearchParams(window.location.search).get("embed") === "1";
  const [config, setConfig] = useState<FormConfig | null>(null);
  const [loadError, setLoadError] = useState(false);
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [subject, setSubject] = useState("");
  const [sid] = useState(newSuggestionSid);
  const [message, setMessage] = useState("");
  const [website, setWebsite] = useState("");
  const [files, setFiles] = useState<File[]>([]);
  const [custom, setCustom] = useState<Record<string, string | number | boolean | null>>({});
  const [wantsCall, setWantsCall] = useState(false);
  const [phone, setPhone] = useState("");
  const [from, setFrom] = useState(() => toLocalInput(new Date(Date.now() + 3600_000)));
  const [until, setUntil] = useState(() => toLocalInput(new Date(Date.now() + 3 * 3600_000)));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<Sent | null>(null);
  const lang = (isLocale(i18n.language) ? i18n.language : "en") as Locale;

  useEffect(() => {
    void setLocale(visitorLocale());
  }, []);
  const loadConfig = () =>
    publicFetch<FormConfig>("/forms/config")
      .then(setConfig)
      .catch(() => setLoadError(true));
  useEffect(() => {
    void loadConfig();
  }, []);

  const fieldLabel = (f: { label: string; labels: Record<string, string> }) => f.labels[lang] || f.label;

  function explain(err: unknown): string {
    const e = err as {
      status?: number;
      data?: { error?: { message?: string; details?: { reason?: string } } };
    };
    const reason = e.data?.error?.details?.reason;
    if (e.status === 429) return t("forms.error.rateLimited");
    if (reason === "too_fast") return t("forms.error.tooFast");
    if (reason === "token_expired" || reason === "token_invalid") return t("forms.error.expired");
    if (e.status === 413) return t("forms.error.tooLarge");
    if (e.status === 415) return t("forms.error.fileType");
    if (e.status === 400 && e.data?.error?.message)
      return `${t("forms.error.invalid")} ${e.data.error.message}`;
    return t("forms.error.generic");
  }

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    if (!config) return;
    setBusy(true);
    setError(null);
    const fd = new FormData();
    fd.set("token", config.token);
    fd.set("website", website);
    fd.set("name", name.trim());
    fd.set("email", email.trim());
    fd.set("subject", subject.trim());
    fd.set("message", message);
    fd.set("locale", lang);
    fd.set("sid", sid);
    const values = Object.fromEntries(Object.entries(custom).filter(([, v]) => v !== "" && v !== null));
    if (Object.keys(values).length > 0) fd.set("customFields", JSON.stringify(values));
    if (phone.trim()) fd.set("phone", phone.trim());
    if (wantsCall) {
      fd.set("callback", "true");
      if (from) fd.set("callbackWindowStart", new Date(from).toISOString());
      if (until) fd.set("callbackWindowEnd", new Date(until).toISOString());
    }
    for (const f of files) fd.append("attachments", f, f.name);
    try {
      setSent(await publicFetch<Sent>("/forms/submit", { method: "POST", body: fd }));
    } catch (err) {
      setError(explain(err));
      const reason = (err as { data?: { error?: { details?: { reason?: string } } } }).data?.error?.details
        ?.reason;
      if (reason === "token_expired" || reason === "token_invalid") void loadConfig();
    } finally {
      setBusy(false);
    }
  }

  const picker = (
    <Select
      aria-label={t("forms.language")}
      size="xs"
      w={140}
      value={lang}
      onChange={(v) => v && void setLocale(v)}
      data={(Object.keys(LOCALE_NAMES) as Locale[]).map((l) => ({ value: l, label: LOCALE_NAMES[l] }))}
      allowDeselect={false}
    />
  );

  const body = sent ? (
    <Alert color="green" title={t("forms.sent.title")} role="status" data-testid="form-sent">
      <Text>{t("forms.sent.number", { number: sent.ticketNumber })}</Text>
      {sent.acknowledgement && <Text>{t("forms.sent.email", { email })}</Text>}
      {config?.emailReplies === false && <Text>{t("forms.sent.noEmail")}</Text>}
      {sent.callbackRequested && <Text>{t("forms.sent.callback")}</Text>}
    </Alert>
  ) : (
    <form onSubmit={submit} noValidate={false} data-testid="support-form">
      <Stack gap="sm">
        <TextInput
          label={t("forms.name")}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          required
          maxLength={200}
          autoComplete="name"
        />
        <TextInput
          label={t("forms.email")}
          type="email"
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          required
          maxLength={320}
          autoComplete="email"
        />
        <TextInput
          label={t("forms.subject")}
          value={subject}
          onChange={(e) => setSubject(e.currentTarget.value)}
          required
          maxLength={300}
        />
        <FormSuggestions text={subject} lang={lang} sid={sid} />
        <Textarea
          label={t("forms.message")}
          value={message}
          onChange={(e) => setMessage(e.currentTarget.value)}
          required
          autosize
          minRows={5}
          maxLength={20_000}
        />
        {config?.fields.map((f) =>
          f.type === "select" ? (
            <Select
              key={f.key}
              label={fieldLabel(f)}
              required={f.required}
              clearable={!f.required}
              value={(custom[f.key] as string | undefined) ?? null}
              onChange={(v) => setCustom({ ...custom, [f.key]: v })}
              data={f.options.map((o) => ({ value: o.value, label: fieldLabel(o) }))}
            />
          ) : f.type === "boolean" ? (
            <Checkbox
              key={f.key}
              label={fieldLabel(f)}
              checked={custom[f.key] === true}
              onChange={(e) => setCustom({ ...custom, [f.key]: e.currentTarget.checked })}
            />
          ) : f.type === "number" ? (
            <NumberInput
              key={f.key}
              label={fieldLabel(f)}
              required={f.required}
              value={(custom[f.key] as number | undefined) ?? ""}
              onChange={(v) => setCustom({ ...custom, [f.key]: v === "" ? null : Number(v) })}
            />
          ) : (
            <TextInput
              key={f.key}
              label={fieldLabel(f)}
              type={f.type === "date" ? "date" : "text"}
              required={f.required}
              value={(custom[f.key] as string | undefined) ?? ""}
              onChange={(e) => setCustom({ ...custom, [f.key]: e.currentTarget.value })}
            />
          ),
        )}
        <FileInput
          label={t("forms.attachments")}
          description={t("forms.attachmentsHint", {
            count: config?.maxFiles ?? 5,
            mb: Math.floor((config?.maxFileBytes ?? 0) / 1048576),
          })}
          multiple
          clearable
          value={files}
          onChange={(v) => setFiles((v ?? []).slice(0, config?.maxFiles ?? 5))}
        />
        <TextInput
          label={t("forms.phone")}
          type="tel"
          value={phone}
          onChange={(e) => setPhone(e.currentTarget.value)}
          maxLength={40}
          required={wantsCall}
          autoComplete="tel"
        />
        <Checkbox
          label={t("forms.callback")}
          checked={wantsCall}
          onChange={(e) => setWantsCall(e.currentTarget.checked)}
        />
        {wantsCall && (
          <Group grow>
            <TextInput
              type="datetime-local"
              label={t("forms.callbackFrom")}
              value={from}
              onChange={(e) => setFrom(e.currentTarget.value)}
            />
            <TextInput
              type="datetime-local"
              label={t("forms.callbackUntil")}
              value={until}
              onChange={(e) => setUntil(e.currentTarget.value)}
            />
          </Group>
        )}
        {/* The honeypot: off-screen and skipped by keyboards and screen readers; bots fill it. */}
        <Box
          style={{ position: "absolute", left: "-10000px", width: 1, height: 1, overflow: "hidden" }}
          aria-hidden="true"
        >
          <label>
            Website
            <input
              name="website"
              tabIndex={-1}
              autoComplete="off"
              value={website}
              onChange={(e) => setWebsite(e.currentTarget.value)}
            />
          </label>
        </Box>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        {loadError && (
          <Alert color="red" role="alert">
            {t("forms.error.generic")}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={busy} disabled={!config}>
            {t("forms.send")}
          </Button>
        </Group>
      </Stack>
    </form>
  );

  if (embed)
    return (
      <Box p="sm" component="main">
        <Group justify="flex-end" mb="xs">
          {picker}
        </Group>
        {body}
      </Box>
    );
  return (
    <Container size="sm" py="xl" component="main">
      <Paper withBorder p="lg" radius="md">
        <Group justify="space-between" mb="md" wrap="nowrap" align="flex-start">
          <Stack gap={2}>
            <Title order={1} size="h3">
              {t("forms.title")}
            </Title>
            <Text c="dimmed" size="sm" data-testid="form-intro">
              {t(config?.emailReplies === false ? "forms.introNoEmail" : "forms.intro")}
            </Text>
          </Stack>
          {picker}
        </Group>
        {body}
      </Paper>
    </Container>
  );
}
