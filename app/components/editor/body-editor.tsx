import { AutoLinkNode, LinkNode } from "@lexical/link";
import { LexicalComposer, type InitialConfigType } from "@lexical/react/LexicalComposer";
import { useLexicalComposerContext } from "@lexical/react/LexicalComposerContext";
import { ContentEditable } from "@lexical/react/LexicalContentEditable";
import { LexicalErrorBoundary } from "@lexical/react/LexicalErrorBoundary";
import { HistoryPlugin } from "@lexical/react/LexicalHistoryPlugin";
import { LinkPlugin } from "@lexical/react/LexicalLinkPlugin";
import { ListPlugin } from "@lexical/react/LexicalListPlugin";
import { RichTextPlugin } from "@lexical/react/LexicalRichTextPlugin";
import { TablePlugin } from "@lexical/react/LexicalTablePlugin";
import {
  $createParagraphNode,
  $getRoot,
  $isDecoratorNode,
  $isElementNode,
  $parseSerializedNode,
  HISTORY_MERGE_TAG,
  mergeRegister,
  type EditorState,
  type LexicalNode,
} from "lexical";
import { useEffect, useId, useRef, useState, type RefObject } from "react";
import { useT } from "~/i18n/use-t";
import { isSafeUrl } from "~/lexical/nodes";
import { editorNodes } from "./nodes";
import { editorTheme } from "./theme";
import { Toolbar } from "./toolbar";

export interface BodyEditorProps {
  /** name of the hidden input that carries the serialized editor state in a normal form POST */
  name: string;
  /** a serialized editor state (as stored), or null for an empty editor */
  initialJson: string | null;
  /** accessible name of the editing area */
  label: string;
  invalid?: boolean;
  /** ids of the hint and error texts, for aria-describedby */
  describedBy?: string;
  /** where images are POSTed (multipart field `file`); answers `{ src, width, height }` */
  uploadUrl: string;
  csrfToken: string;
  /** called with the serialized state after each content change (not on selection changes) */
  onChange?: (json: string) => void;
}

/**
 * The Lexical body editor. Its output is a serialized editor state in a hidden input, checked on
 * the server by validateBody (app/lexical/validate.ts) and rendered by renderBodyHtml.
 */
export default function BodyEditor({ name, initialJson, label, invalid, describedBy, uploadUrl, csrfToken, onChange }: BodyEditorProps) {
  const t = useT();
  const inputRef = useRef<HTMLInputElement>(null);
  const loadFailedRef = useRef(false);
  const [loadFailed, setLoadFailed] = useState(false);
  const noticeId = useId();
  const [initialConfig] = useState<InitialConfigType>(() => ({
    namespace: "StudioAllianceBody",
    nodes: editorNodes,
    theme: editorTheme,
    onError: (error) => console.error(error),
    editorState: () => {
      if (!$loadInitialJson(initialJson)) loadFailedRef.current = true;
    },
  }));

  // the initial state is read while LexicalComposer renders; report a failure after mount
  useEffect(() => {
    if (loadFailedRef.current) setLoadFailed(true);
  }, []);

  return (
    <div className={`body-editor${invalid ? " invalid" : ""}`}>
      <LexicalComposer initialConfig={initialConfig}>
        <Toolbar uploadUrl={uploadUrl} csrfToken={csrfToken} />
        {loadFailed && <p className="editor-notice" id={noticeId}>{t("editor.loadFailed")}</p>}
        <div className="editor-surface">
          <RichTextPlugin
            contentEditable={
              <ContentEditable
                className="rich-text editor-input"
                role="textbox"
                ariaMultiline
                ariaLabel={label}
                ariaInvalid={invalid ? true : undefined}
                ariaDescribedBy={[describedBy, loadFailed ? noticeId : ""].filter(Boolean).join(" ") || undefined}
                aria-placeholder={t("editor.placeholder")}
                placeholder={<div className="editor-placeholder" aria-hidden="true">{t("editor.placeholder")}</div>}
              />
            }
            ErrorBoundary={LexicalErrorBoundary}
          />
        </div>
        <HistoryPlugin />
        <ListPlugin />
        <LinkPlugin validateUrl={isSafeUrl} />
        <TablePlugin hasCellMerge={false} hasCellBackgroundColor={false} hasTabHandler={false} hasHorizontalScroll />
        <SafeLinksPlugin />
        <HiddenInputPlugin inputRef={inputRef} onChange={onChange} />
      </LexicalComposer>
      <input ref={inputRef} type="hidden" name={name} defaultValue={initialJson ?? ""} />
    </div>
  );
}

/**
 * Fills the empty root from a stored state. Returns false (and leaves one empty paragraph) when
 * the JSON cannot be read, so a bad body never crashes the page.
 */
function $loadInitialJson(json: string | null): boolean {
  const root = $getRoot();
  let ok = true;
  if (json) {
    try {
      const data: unknown = JSON.parse(json);
      const children = (data as { root?: { children?: unknown } } | null)?.root?.children;
      if (!Array.isArray(children)) throw new Error("not a serialized editor state");
      const nodes: LexicalNode[] = children.map((child) => {
        const node = $parseSerializedNode(child);
        const block = ($isElementNode(node) || $isDecoratorNode(node)) && !node.isInline();
        if (!block) throw new Error(`"${node.getType()}" cannot be a top-level node`);
        return node;
      });
      root.append(...nodes);
    } catch {
      root.clear();
      ok = false;
    }
  }
  if (root.isEmpty()) root.append($createParagraphNode());
  return ok;
}

/**
 * Keeps the hidden input equal to the editor's content and calls onChange when the content changes.
 * Nothing happens while an input method is composing: the composed text is written once the
 * composition ends (Lexical's final composition update is not always a dirty one, hence the flag).
 */
function HiddenInputPlugin({ inputRef, onChange }: { inputRef: RefObject<HTMLInputElement>; onChange?: (json: string) => void }) {
  const [editor] = useLexicalComposerContext();
  const onChangeRef = useRef(onChange);
  useEffect(() => {
    onChangeRef.current = onChange;
  }, [onChange]);

  useEffect(() => {
    let last: string | null = null;
    let pending = false;
    const write = (state: EditorState, notify: boolean) => {
      const json = JSON.stringify(state.toJSON());
      if (json === last) return;
      last = json;
      if (inputRef.current) inputRef.current.value = json;
      if (notify) onChangeRef.current?.(json);
    };
    const flushAfterComposition = () => {
      // runs after Lexical's own compositionend handling has committed the text
      setTimeout(() => {
        if (pending && !editor.isComposing()) {
          pending = false;
          write(editor.getEditorState(), true);
        }
      }, 0);
    };
    const unregister = mergeRegister(
      editor.registerUpdateListener(({ editorState, prevEditorState, dirtyElements, dirtyLeaves, tags }) => {
        const dirty = dirtyElements.size > 0 || dirtyLeaves.size > 0;
        if (editor.isComposing()) {
          if (dirty) pending = true;
          return;
        }
        if (!dirty && !pending) return;
        pending = false;
        // loading the initial state is not a change
        write(editorState, !(prevEditorState.isEmpty() && tags.has(HISTORY_MERGE_TAG)));
      }),
      editor.registerRootListener((root) => {
        if (!root) return;
        root.addEventListener("compositionend", flushAfterComposition);
        return () => root.removeEventListener("compositionend", flushAfterComposition);
      }),
    );
    // the baseline: what the editor holds after loading (normalized), not a change
    editor.read(() => undefined);
    write(editor.getEditorState(), false);
    return unregister;
  }, [editor, inputRef]);

  return null;
}

/**
 * Links pasted from elsewhere can carry addresses the server refuses (javascript:, relative
 * paths); one such link would make the whole body unsaveable, so they become plain text.
 */
function SafeLinksPlugin() {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    const $unwrapUnsafe = (node: LinkNode) => {
      if (isSafeUrl(node.getURL())) return;
      for (const child of node.getChildren()) node.insertBefore(child);
      node.remove();
    };
    return mergeRegister(
      editor.registerNodeTransform(LinkNode, $unwrapUnsafe),
      editor.registerNodeTransform(AutoLinkNode, $unwrapUnsafe),
    );
  }, [editor]);
  return null;
}
