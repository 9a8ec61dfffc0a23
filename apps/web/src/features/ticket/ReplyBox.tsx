import {
  Alert,
  Button,
  CloseButton,
  FileButton,
  Group,
  Menu,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
} from "@mantine/core";
import { TICKET_STATUSES } from "@rapport/shared";
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatBytes } from "../../lib/format.ts";
import type { Attachment, Ticket } from "../../lib/types.ts";
import { contributions } from "../extensions.ts";
import { useSolveGuard } from "../promises/SolveGuard.tsx";
import { useRealtime } from "../realtime/RealtimeProvider.tsx";
import { type ToneFinding, useToneCheck } from "../tone/api.ts";
import { replaceFinding, ToneHighlights, ToneSuggestions } from "../tone/ToneHighlights.tsx";
import { uploadAttachment, useSendMessage } from "./api.ts";

const REPLY_TOOLS = contributions("replyTools");
const REPLY_NOTICES = contributions("replyNotices");

export type ReplyBoxHandle = { focus: (mode: "reply" | "note") => void };

/** Public reply / internal note composer with attachments and "send and set status". */
export const ReplyBox = forwardRef<ReplyBoxHandle, { ticket: Ticket }>(function ReplyBox({ ticket }, ref) {
  const { t, i18n } = useTranslation();
  const canReply = ticket.permissions.reply;
  const [mode, setMode] = useState<"reply" | "note">(canReply ? "reply" : "note");
  const [body, setBody] = useState("");
  const [files, setFiles] = useState<Attachment[]>([]);
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const send = useSendMessage(ticket.id);
  const solveGuard = useSolveGuard(ticket);
  const rt = useRealtime();
  const typingTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const typingSent = useRef(false);
  // The tone check in the ticket's language (else the agent's), and the suggestions taken.
  const toneLang = (ticket.language ?? i18n.language).split("-")[0] ?? "en";
  const tone = useToneCheck(body, toneLang);
  const [accepted, setAccepted] = useState<Array<{ ruleId: string; text: string }>>([]);
  const takeSuggestion = (f: ToneFinding, suggestion: string) => {
    onType(replaceFinding(body, f, suggestion));
    setAccepted((a) => [...a, { ruleId: f.ruleId, text: f.text }].slice(-50));
  };

  useImperativeHandle(ref, () => ({
    focus: (m) => {
      setMode(m === "reply" && canReply ? "reply" : "note");
      area.current?.focus();
    },
  }));

  const stopTyping = () => {
    if (typingTimer.current) clearTimeout(typingTimer.current);
    if (typingSent.current) rt.typing(ticket.id, false);
    typingSent.current = false;
  };
  useEffect(() => stopTyping, [ticket.id]);

  function onType(v: string) {
    setBody(v);
    if (!typingSent.current) {
      rt.typing(ticket.id, true);
      typingSent.current = true;
    }
    if (typingTimer.current) clearTimeout(typingTimer.current);
    typingTimer.current = setTimeout(stopTyping, 3000);
  }

  async function addFiles(list: File[]) {
    setUploading(true);
    setError(null);
    try {
      for (const f of list) {
        const a = await uploadAttachment(ticket.id, f);
        setFiles((x) => [...x, a]);
      }
    } catch {
      setError(t("ticket.uploadFailed"));
    } finally {
      setUploading(false);
    }
  }

  async function submit(status?: string, confirm?: string[]) {
    if (!body.trim()) return;
    // Send and solve with open promises asks first; the server refuses the whole step otherwise.
    if (status && !confirm && solveGuard.intercept(status, () => submit(status, ["open_promises"]))) return;
    setError(null);
    try {
      await send.mutateAsync({
        body,
        internal: mode === "note",
        attachmentIds: files.map((f) => f.id),
        status,
        confirm,
        tone: { lang: toneLang, accepted },
      });
      setBody("");
      setAccepted([]);
      setFiles([]);
      stopTyping();
    } catch {
      setError(t("ticket.sendFailed"));
    }
  }

  const label = mode === "note" ? t("ticket.noteLabel") : t("ticket.replyLabel");
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      className={mode === "note" ? "note" : undefined}
      component="section"
      aria-label={t("ticket.composer")}
    >
      <Stack gap="xs">
        <SegmentedControl
          size="xs"
          value={mode}
          onChange={(v) => setMode(v as "reply" | "note")}
          data={[
            { value: "reply", label: t("ticket.publicReply"), disabled: !canReply },
            { value: "note", label: t("ticket.internalNote") },
          ]}
          aria-label={t("ticket.replyMode")}
          w="fit-content"
        />
        {mode === "reply" && REPLY_NOTICES.map((Notice, i) => <Notice key={i} ticket={ticket} />)}
        {error && (
          <Alert color="red" role="alert" py={6}>
            {error}
          </Alert>
        )}
        <Textarea
          ref={area}
          label={label}
          value={body}
          onChange={(e) => onType(e.currentTarget.value)}
          autosize
          minRows={3}
          maxRows={14}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void submit();
            }
            if (e.key === "Escape") e.currentTarget.blur();
          }}
          maxLength={100_000}
          data-testid="reply-body"
          inputContainer={(children) => (
            <div style={{ position: "relative" }}>
              {children}
              <ToneHighlights text={body} findings={tone.findings} target={area} />
            </div>
          )}
        />
        <ToneSuggestions findings={tone.findings} onReplace={takeSuggestion} />
        {files.length > 0 && (
          <Group gap="xs">
            {files.map((f) => (
              <Group key={f.id} gap={4} px={6} py={2} bg="gray.1" style={{ borderRadius: 4 }}>
                <Text size="xs">
                  {f.filename} ({formatBytes(f.size)})
                </Text>
                <CloseButton
                  size="xs"
                  aria-label={t("ticket.removeAttachment", { name: f.filename })}
                  onClick={() => setFiles((x) => x.filter((y) => y.id !== f.id))}
                />
              </Group>
            ))}
          </Group>
        )}
        <Group justify="space-between">
          <FileButton onChange={(l) => void addFiles(l)} multiple>
            {(props) => (
              <Button {...props} variant="default" size="xs" loading={uploading}>
                {t("ticket.attach")}
              </Button>
            )}
          </FileButton>
          {REPLY_TOOLS.map((Tool, i) => (
            <Tool
              key={i}
              ticket={ticket}
              insert={(text) => onType(body.trim() ? `${body}\n${text}` : text)}
            />
          ))}
          <Group gap={0}>
            <Button
              onClick={() => void submit()}
              loading={send.isPending}
              disabled={!body.trim()}
              style={{ borderTopRightRadius: 0, borderBottomRightRadius: 0 }}
            >
              {mode === "note" ? t("ticket.addNote") : t("ticket.send")}
            </Button>
            <Menu position="top-end">
              <Menu.Target>
                <Button
                  disabled={!body.trim()}
                  px={8}
                  style={{ borderTopLeftRadius: 0, borderBottomLeftRadius: 0, borderLeft: "1px solid white" }}
                  aria-label={t("ticket.sendAndSet")}
                >
                  ▾
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{t("ticket.sendAndSet")}</Menu.Label>
                {TICKET_STATUSES.filter((s) => s !== "new" && s !== "closed").map((s) => (
                  <Menu.Item key={s} onClick={() => void submit(s)}>
                    {t("ticket.sendAs", { status: t(`status.${s}`) })}
                  </Menu.Item>
                ))}
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </Stack>
      {solveGuard.dialog}
    </Paper>
  );
});
