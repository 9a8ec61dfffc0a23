import { ActionIcon, Alert, Group, Paper, Tooltip } from "@mantine/core";
import type { KbFile } from "@rapport/server/contract";
import { mergeAttributes, Node } from "@tiptap/core";
import Image from "@tiptap/extension-image";
import { Table, TableCell, TableHeader, TableRow } from "@tiptap/extension-table";
import { EditorContent, useEditor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import { type ReactNode, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../lib/api.ts";

/** A callout box (`<div class="callout callout-tip">`): the server keeps exactly these classes. */
const Callout = Node.create({
  name: "callout",
  group: "block",
  content: "block+",
  defining: true,
  addAttributes() {
    return {
      kind: {
        default: "info",
        parseHTML: (el) => /callout-(info|tip|warning)/.exec(el.className)?.[1] ?? "info",
        renderHTML: (a) => ({ class: `callout callout-${a.kind as string}` }),
      },
    };
  },
  parseHTML: () => [{ tag: "div.callout" }],
  renderHTML: ({ HTMLAttributes }) => ["div", mergeAttributes(HTMLAttributes), 0],
});

/**
 * The article editor: headings, lists, tables, images and attachments (uploaded through
 * POST /kb/files, stored like ticket attachments), code and callouts. Emits sanitizable HTML.
 */
export function RichEditor({
  value,
  onChange,
  label,
  editable = true,
}: {
  value: string;
  onChange: (html: string) => void;
  label: string;
  editable?: boolean;
}) {
  const { t } = useTranslation();
  const fileInput = useRef<HTMLInputElement>(null);
  const [mode, setMode] = useState<"image" | "file">("image");
  const [error, setError] = useState<string | null>(null);
  const editor = useEditor({
    extensions: [
      StarterKit.configure({
        heading: { levels: [2, 3, 4] },
        link: { openOnClick: false, HTMLAttributes: { rel: "noopener noreferrer nofollow" } },
      }),
      Image,
      Table.configure({ resizable: false }),
      TableRow,
      TableHeader,
      TableCell,
      Callout,
    ],
    content: value,
    editable,
    immediatelyRender: true,
    editorProps: { attributes: { "aria-label": label, role: "textbox", "aria-multiline": "true" } },
    onUpdate: ({ editor: e }) => onChange(e.getHTML()),
  });

  async function upload(file: File) {
    setError(null);
    const form = new FormData();
    form.append("file", file);
    try {
      const f = await api<KbFile>("POST", "/kb/files", form);
      if (mode === "image" && f.contentType.startsWith("image/"))
        editor?.chain().focus().setImage({ src: f.url, alt: f.filename }).run();
      else
        editor
          ?.chain()
          .focus()
          .insertContent({
            type: "paragraph",
            content: [{ type: "text", text: f.filename, marks: [{ type: "link", attrs: { href: f.url } }] }],
          })
          .run();
    } catch (e) {
      setError((e as Error).message);
    }
  }

  if (!editor) return null;
  const b = (key: string, icon: ReactNode, run: () => void, active = false) => (
    <Tooltip label={t(key)} key={key}>
      <ActionIcon
        variant={active ? "filled" : "default"}
        size="md"
        aria-label={t(key)}
        aria-pressed={active}
        onClick={run}
        disabled={!editable}
      >
        {icon}
      </ActionIcon>
    </Tooltip>
  );
  const c = () => editor.chain().focus();
  return (
    <Paper withBorder p={0}>
      <Group gap={4} p={6} role="toolbar" aria-label={t("kb.editor.toolbar")} wrap="wrap">
        {b(
          "kb.editor.h2",
          "H2",
          () => c().toggleHeading({ level: 2 }).run(),
          editor.isActive("heading", { level: 2 }),
        )}
        {b(
          "kb.editor.h3",
          "H3",
          () => c().toggleHeading({ level: 3 }).run(),
          editor.isActive("heading", { level: 3 }),
        )}
        {b("kb.editor.bold", <b>B</b>, () => c().toggleBold().run(), editor.isActive("bold"))}
        {b("kb.editor.italic", <i>I</i>, () => c().toggleItalic().run(), editor.isActive("italic"))}
        {b("kb.editor.bullets", "•", () => c().toggleBulletList().run(), editor.isActive("bulletList"))}
        {b("kb.editor.numbers", "1.", () => c().toggleOrderedList().run(), editor.isActive("orderedList"))}
        {b("kb.editor.code", "</>", () => c().toggleCodeBlock().run(), editor.isActive("codeBlock"))}
        {b("kb.editor.quote", "❝", () => c().toggleBlockquote().run(), editor.isActive("blockquote"))}
        {b(
          "kb.editor.callout",
          "ⓘ",
          () =>
            editor.isActive("callout")
              ? c().lift("callout").run()
              : c().wrapIn("callout", { kind: "info" }).run(),
          editor.isActive("callout"),
        )}
        {b("kb.editor.tip", "✓", () => c().wrapIn("callout", { kind: "tip" }).run())}
        {b("kb.editor.warning", "⚠", () => c().wrapIn("callout", { kind: "warning" }).run())}
        {b("kb.editor.table", "▦", () => c().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run())}
        {editor.isActive("table") && (
          <>
            {b("kb.editor.addRow", "+↓", () => c().addRowAfter().run())}
            {b("kb.editor.addColumn", "+→", () => c().addColumnAfter().run())}
            {b("kb.editor.deleteTable", "✕▦", () => c().deleteTable().run())}
          </>
        )}
        {b("kb.editor.link", "🔗", () => {
          const href = window.prompt(
            t("kb.editor.linkPrompt"),
            editor.getAttributes("link").href ?? "https://",
          );
          if (href === null) return;
          if (!href) c().unsetLink().run();
          else if (/^(https?:|mailto:|tel:|\/)/.test(href)) c().setLink({ href }).run();
        })}
        {b("kb.editor.image", "🖼", () => {
          setMode("image");
          fileInput.current?.click();
        })}
        {b("kb.editor.attach", "📎", () => {
          setMode("file");
          fileInput.current?.click();
        })}
        <input
          ref={fileInput}
          type="file"
          hidden
          aria-label={t("kb.editor.attach")}
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            e.currentTarget.value = "";
            if (f) void upload(f);
          }}
        />
      </Group>
      {error && (
        <Alert color="red" m={6} role="alert">
          {error}
        </Alert>
      )}
      <EditorContent editor={editor} className="kb-editor" />
    </Paper>
  );
}
