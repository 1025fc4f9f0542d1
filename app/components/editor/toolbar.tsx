import { $createLinkNode, $isLinkNode, TOGGLE_LINK_COMMAND } from "@lexical/link";
import { $isListNode, INSERT_ORDERED_LIST_COMMAND, INSERT_UNORDERED_LIST_COMMAND, ListNode, REMOVE_LIST_COMMAND } from "@lexical/list";
import { useLexicalComposerContext } from "@lexical/react/LexicalComposerContext";
import { $createHeadingNode, $createQuoteNode, $isHeadingNode, $isQuoteNode, DRAG_DROP_PASTE } from "@lexical/rich-text";
import { $setBlocksType } from "@lexical/selection";
import { $isTableCellNode, $isTableSelection, INSERT_TABLE_COMMAND } from "@lexical/table";
import { $findMatchingParent, $getNearestNodeOfType } from "@lexical/utils";
import {
  $createParagraphNode,
  $createTextNode,
  $getNodeByKey,
  $getRoot,
  $getSelection,
  $insertNodes,
  $isRangeSelection,
  $isRootOrShadowRoot,
  $setSelection,
  CAN_REDO_COMMAND,
  CAN_UNDO_COMMAND,
  COMMAND_PRIORITY_LOW,
  FORMAT_TEXT_COMMAND,
  KEY_DOWN_COMMAND,
  REDO_COMMAND,
  UNDO_COMMAND,
  mergeRegister,
  type BaseSelection,
  type ElementNode,
  type LexicalEditor,
} from "lexical";
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from "react";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";
import { isSafeImageSrc, isSafeUrl } from "~/lexical/nodes";
import { $createImageNode } from "./image-node";

type Block = "paragraph" | "h2" | "h3" | "quote" | "bullet" | "number" | "other";

interface Formats {
  block: Block;
  bold: boolean;
  italic: boolean;
  link: string | null;
  inTable: boolean;
}

const INITIAL: Formats = { block: "paragraph", bold: false, italic: false, link: null, inTable: false };
const IMAGE_TYPES = "image/png,image/jpeg,image/gif,image/webp";

/** True while an input method is composing: shortcuts and commands must wait for it. */
export function isComposing(editor: LexicalEditor, event?: KeyboardEvent | ReactKeyboardEvent): boolean {
  const native = event && "nativeEvent" in event ? event.nativeEvent : event;
  // keyCode 229 marks keys the IME handles (Chrome sends it before compositionstart)
  return editor.isComposing() || Boolean(native && (native.isComposing || native.keyCode === 229));
}

function $readFormats(): Formats | null {
  const selection = $getSelection();
  if (!$isRangeSelection(selection)) return null;
  const anchor = selection.anchor.getNode();
  const top: ElementNode | null =
    anchor.getKey() === "root"
      ? null
      : ($findMatchingParent(anchor, (n) => {
          const parent = n.getParent();
          return parent !== null && $isRootOrShadowRoot(parent);
        }) as ElementNode | null);
  let block: Block = "other";
  if ($isListNode(top)) {
    const list = $getNearestNodeOfType(anchor, ListNode) ?? top;
    const type = list.getListType();
    block = type === "bullet" ? "bullet" : type === "number" ? "number" : "other";
  } else if ($isHeadingNode(top)) {
    const tag = top.getTag();
    block = tag === "h2" ? "h2" : tag === "h3" ? "h3" : "other";
  } else if ($isQuoteNode(top)) {
    block = "quote";
  } else if (top === null || top.getType() === "paragraph") {
    block = "paragraph";
  }
  const link = $findMatchingParent(anchor, $isLinkNode) ?? $findMatchingParent(selection.focus.getNode(), $isLinkNode);
  return {
    block,
    bold: selection.hasFormat("bold"),
    italic: selection.hasFormat("italic"),
    link: link ? link.getURL() : null,
    inTable: $findMatchingParent(anchor, $isTableCellNode) !== null,
  };
}

/** Puts back a selection saved before focus left the editor, if its nodes still exist. */
function $restoreSelection(saved: BaseSelection | null): boolean {
  if ($isRangeSelection(saved) && $getNodeByKey(saved.anchor.key) && $getNodeByKey(saved.focus.key)) {
    $setSelection(saved.clone());
    return true;
  }
  return $getSelection() !== null;
}

/** "example.com" → https://example.com, "a@b.cn" → mailto:a@b.cn; anything else as typed. */
export function normalizeUrl(input: string): string {
  const url = input.trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith("/") || url.startsWith("#")) return url;
  if (/^[^\s@/]+@[^\s@/]+\.[^\s@/]+$/.test(url)) return `mailto:${url}`;
  if (/^[\w-]+(\.[\w-]+)+(:\d+)?([/?#]\S*)?$/.test(url)) return `https://${url}`;
  return url;
}

interface ButtonSpec {
  id: string;
  label: MessageKey;
  className?: string;
  pressed?: boolean;
  expanded?: boolean;
  controls?: string;
  disabled?: boolean;
  run: () => void;
}

type Status = { kind: "busy" | "done"; text: string } | null;

export function Toolbar({ uploadUrl, csrfToken }: { uploadUrl: string; csrfToken: string }) {
  const t = useT();
  const [editor] = useLexicalComposerContext();
  const [formats, setFormats] = useState<Formats>(INITIAL);
  const [canUndo, setCanUndo] = useState(false);
  const [canRedo, setCanRedo] = useState(false);
  const [focusId, setFocusId] = useState("paragraph");
  const [linkOpen, setLinkOpen] = useState(false);
  const [status, setStatus] = useState<Status>(null);
  const [error, setError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const toolbarRef = useRef<HTMLDivElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const savedSelection = useRef<BaseSelection | null>(null);
  const linkPanelId = useId();

  useEffect(
    () =>
      mergeRegister(
        editor.registerUpdateListener(({ editorState }) => {
          if (editor.isComposing()) return;
          const next = editorState.read($readFormats);
          if (next) setFormats(next);
        }),
        editor.registerCommand(CAN_UNDO_COMMAND, (v) => (setCanUndo(v), false), COMMAND_PRIORITY_LOW),
        editor.registerCommand(CAN_REDO_COMMAND, (v) => (setCanRedo(v), false), COMMAND_PRIORITY_LOW),
      ),
    [editor],
  );

  const openLink = useCallback(() => {
    savedSelection.current = editor.read(() => $getSelection()?.clone() ?? null);
    setLinkOpen(true);
  }, [editor]);

  const upload = useCallback(
    async (file: File) => {
      const altText = file.name.replace(/\.[^.]*$/, "") || file.name;
      const saved = editor.read(() => $getSelection()?.clone() ?? null);
      setError(null);
      setUploading(true);
      setStatus({ kind: "busy", text: t("editor.uploading", { name: file.name }) });
      const fail = (message: string) => {
        setStatus(null);
        setError(t("editor.uploadFailed", { name: file.name, message }));
      };
      try {
        const body = new FormData();
        body.append("file", file);
        let response: Response;
        try {
          response = await fetch(uploadUrl, { method: "POST", body, headers: { "X-CSRF-Token": csrfToken }, credentials: "same-origin" });
        } catch {
          return fail(t("editor.uploadNetwork"));
        }
        const data = (await response.json().catch(() => null)) as { src?: unknown; width?: unknown; height?: unknown; error?: { message?: unknown } } | null;
        if (!response.ok || !data || !isSafeImageSrc(data.src)) {
          const message = typeof data?.error?.message === "string" ? data.error.message : t("editor.uploadHttp", { status: response.status });
          return fail(message);
        }
        const src = data.src;
        editor.update(() => {
          if (!$restoreSelection(saved)) $getRoot().selectEnd();
          $insertNodes([
            $createImageNode({
              src,
              altText,
              width: typeof data.width === "number" ? data.width : undefined,
              height: typeof data.height === "number" ? data.height : undefined,
            }),
          ]);
        });
        setStatus({ kind: "done", text: t("editor.uploaded", { name: altText }) });
      } finally {
        setUploading(false);
      }
    },
    [csrfToken, editor, t, uploadUrl],
  );

  // Shortcuts of our own (Ctrl/⌘+K link, Alt+F10 toolbar) and dropped or pasted image files.
  // Lexical does not dispatch KEY_DOWN_COMMAND while composing; the check is kept for keys the
  // IME sends before composition starts.
  useEffect(
    () =>
      mergeRegister(
        editor.registerCommand(
          KEY_DOWN_COMMAND,
          (event: KeyboardEvent) => {
            if (isComposing(editor, event)) return false;
            if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === "k") {
              event.preventDefault();
              openLink();
              return true;
            }
            if (event.altKey && event.key === "F10") {
              event.preventDefault();
              toolbarRef.current?.querySelector<HTMLButtonElement>('button[tabindex="0"]')?.focus();
              return true;
            }
            return false;
          },
          COMMAND_PRIORITY_LOW,
        ),
        editor.registerCommand(
          DRAG_DROP_PASTE,
          (files: File[]) => {
            const images = files.filter((f) => IMAGE_TYPES.split(",").includes(f.type));
            if (!images.length) return false;
            void (async () => {
              for (const file of images) await upload(file);
            })();
            return true;
          },
          COMMAND_PRIORITY_LOW,
        ),
      ),
    [editor, openLink, upload],
  );

  const run = (fn: () => void) => () => {
    if (isComposing(editor)) return;
    fn();
  };

  const setBlock = (block: "paragraph" | "h2" | "h3" | "quote") => {
    const target = formats.block === block ? "paragraph" : block;
    if (formats.block === "bullet" || formats.block === "number") {
      if (target === "paragraph") return editor.dispatchCommand(REMOVE_LIST_COMMAND, undefined);
    }
    editor.update(() => {
      const selection = $getSelection();
      if (!$isRangeSelection(selection) && !$isTableSelection(selection)) return;
      $setBlocksType(selection, () => (target === "paragraph" ? $createParagraphNode() : target === "quote" ? $createQuoteNode() : $createHeadingNode(target)));
    });
  };

  const buttons: ButtonSpec[][] = [
    [
      { id: "paragraph", label: "editor.paragraph", pressed: formats.block === "paragraph", run: () => setBlock("paragraph") },
      { id: "h2", label: "editor.heading2", pressed: formats.block === "h2", run: () => setBlock("h2") },
      { id: "h3", label: "editor.heading3", pressed: formats.block === "h3", run: () => setBlock("h3") },
    ],
    [
      { id: "bold", label: "editor.bold", className: "tb-bold", pressed: formats.bold, run: () => editor.dispatchCommand(FORMAT_TEXT_COMMAND, "bold") },
      { id: "italic", label: "editor.italic", className: "tb-italic", pressed: formats.italic, run: () => editor.dispatchCommand(FORMAT_TEXT_COMMAND, "italic") },
    ],
    [
      {
        id: "bullet",
        label: "editor.bulletList",
        pressed: formats.block === "bullet",
        run: () => editor.dispatchCommand(formats.block === "bullet" ? REMOVE_LIST_COMMAND : INSERT_UNORDERED_LIST_COMMAND, undefined),
      },
      {
        id: "number",
        label: "editor.numberList",
        pressed: formats.block === "number",
        run: () => editor.dispatchCommand(formats.block === "number" ? REMOVE_LIST_COMMAND : INSERT_ORDERED_LIST_COMMAND, undefined),
      },
      { id: "quote", label: "editor.quote", pressed: formats.block === "quote", run: () => setBlock("quote") },
    ],
    [
      { id: "link", label: "editor.link", expanded: linkOpen, controls: linkOpen ? linkPanelId : undefined, run: () => (linkOpen ? setLinkOpen(false) : openLink()) },
      { id: "unlink", label: "editor.unlink", disabled: !formats.link, run: () => editor.dispatchCommand(TOGGLE_LINK_COMMAND, null) },
    ],
    [
      {
        id: "table",
        label: "editor.table",
        disabled: formats.inTable,
        run: () => editor.dispatchCommand(INSERT_TABLE_COMMAND, { rows: "3", columns: "3", includeHeaders: { rows: true, columns: false } }),
      },
      { id: "image", label: "editor.image", disabled: uploading, run: () => fileRef.current?.click() },
    ],
    [
      { id: "undo", label: "editor.undo", disabled: !canUndo, run: () => editor.dispatchCommand(UNDO_COMMAND, undefined) },
      { id: "redo", label: "editor.redo", disabled: !canRedo, run: () => editor.dispatchCommand(REDO_COMMAND, undefined) },
    ],
  ];
  const enabled = buttons.flat().filter((b) => !b.disabled);
  // roving tabindex: the toolbar is one Tab stop, arrow keys move inside it
  const current = enabled.some((b) => b.id === focusId) ? focusId : enabled[0]?.id;

  const onToolbarKeyDown = (event: ReactKeyboardEvent<HTMLDivElement>) => {
    if (!(event.target instanceof HTMLButtonElement)) return;
    const ids = enabled.map((b) => b.id);
    const at = ids.indexOf(event.target.dataset.id ?? "");
    const next =
      event.key === "ArrowRight"
        ? ids[(at + 1) % ids.length]
        : event.key === "ArrowLeft"
          ? ids[(at - 1 + ids.length) % ids.length]
          : event.key === "Home"
            ? ids[0]
            : event.key === "End"
              ? ids[ids.length - 1]
              : null;
    if (!next) {
      if (event.key === "Escape") editor.focus();
      return;
    }
    event.preventDefault();
    setFocusId(next);
    toolbarRef.current?.querySelector<HTMLButtonElement>(`button[data-id="${next}"]`)?.focus();
  };

  return (
    <div className="editor-top">
      <div ref={toolbarRef} className="editor-toolbar" role="toolbar" aria-label={t("editor.toolbar")} onKeyDown={onToolbarKeyDown}>
        {buttons.map((group, i) => (
          <div key={i} className="editor-toolbar-group">
            {group.map((b) => (
              <button
                key={b.id}
                type="button"
                data-id={b.id}
                className={b.className}
                tabIndex={b.id === current ? 0 : -1}
                aria-pressed={b.pressed}
                aria-expanded={b.expanded}
                aria-controls={b.controls}
                disabled={b.disabled}
                // keep the editor's selection when clicked with a mouse
                onMouseDown={(e) => e.preventDefault()}
                onFocus={() => setFocusId(b.id)}
                onClick={run(b.run)}
              >
                {t(b.label)}
              </button>
            ))}
          </div>
        ))}
        <input
          ref={fileRef}
          type="file"
          accept={IMAGE_TYPES}
          hidden
          tabIndex={-1}
          aria-hidden="true"
          data-testid="editor-image-input"
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            e.currentTarget.value = "";
            if (file) void upload(file);
          }}
        />
      </div>
      {linkOpen && (
        <LinkPanel
          id={linkPanelId}
          initialUrl={formats.link ?? ""}
          onCancel={() => {
            setLinkOpen(false);
            editor.focus();
          }}
          onApply={(url) => {
            setLinkOpen(false);
            applyLink(editor, url, savedSelection.current);
          }}
        />
      )}
      <p className="editor-status" role="status">
        {status?.text ?? ""}
      </p>
      {error && (
        <div className="editor-error" role="alert">
          <span>{error}</span>
          <button type="button" className="editor-dismiss" onClick={() => setError(null)}>
            {t("editor.dismiss")}
          </button>
        </div>
      )}
    </div>
  );
}

function applyLink(editor: LexicalEditor, url: string, saved: BaseSelection | null) {
  editor.update(() => {
    if (!$restoreSelection(saved)) $getRoot().selectEnd();
    const selection = $getSelection();
    const insideLink = $isRangeSelection(selection) && $findMatchingParent(selection.anchor.getNode(), $isLinkNode);
    if ($isRangeSelection(selection) && selection.isCollapsed() && !insideLink) {
      // nothing selected: the address itself becomes the link text
      const link = $createLinkNode(url);
      link.append($createTextNode(url));
      $insertNodes([link]);
      link.selectEnd();
    } else {
      editor.dispatchCommand(TOGGLE_LINK_COMMAND, url);
    }
  });
  editor.focus();
}

/** The inline link form. Not a <form>: the editor sits inside the page's form. */
function LinkPanel({ id, initialUrl, onApply, onCancel }: { id: string; initialUrl: string; onApply: (url: string) => void; onCancel: () => void }) {
  const t = useT();
  const [value, setValue] = useState(initialUrl);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const inputId = `${id}-url`;

  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
  }, []);

  const apply = () => {
    const url = normalizeUrl(value);
    if (!url) return setError(t("editor.linkEmpty"));
    if (!isSafeUrl(url)) return setError(t("editor.linkInvalid"));
    onApply(url);
  };

  return (
    <div id={id} className="editor-link-panel" role="group" aria-label={t("editor.link")}>
      <label htmlFor={inputId}>{t("editor.linkUrl")}</label>
      <input
        ref={inputRef}
        id={inputId}
        type="text"
        inputMode="url"
        autoComplete="url"
        spellCheck={false}
        placeholder="https://"
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${inputId}-hint${error ? ` ${inputId}-error` : ""}`}
        onChange={(e) => {
          setValue(e.target.value);
          setError(null);
        }}
        onKeyDown={(e) => {
          if (e.nativeEvent.isComposing || e.keyCode === 229) return;
          if (e.key === "Enter") {
            // Enter must not submit the page's form
            e.preventDefault();
            apply();
          } else if (e.key === "Escape") {
            e.preventDefault();
            onCancel();
          }
        }}
      />
      <button type="button" className="button" onClick={apply}>
        {t("editor.linkApply")}
      </button>
      <button type="button" className="button secondary" onClick={onCancel}>
        {t("editor.linkCancel")}
      </button>
      <p id={`${inputId}-hint`} className="hint">
        {t("editor.linkHint")}
      </p>
      {error && (
        <p id={`${inputId}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
