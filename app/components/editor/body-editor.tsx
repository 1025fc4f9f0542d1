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
import { $getRoot, $isDecoratorNode, $isElementNode, createEditor, mergeRegister, type EditorState } from "lexical";
import { forwardRef, memo, useEffect, useId, useRef, useState, type RefObject } from "react";
import { useT } from "~/i18n/use-t";
import { isSafeUrl } from "~/lexical/nodes";
import { editorNodes } from "./nodes";
import { editorTheme } from "./theme";
import { Toolbar } from "./toolbar";

const NAMESPACE = "StudioAllianceBody";

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
  const noticeId = useId();
  const [initialValue] = useState(initialJson ?? "");
  // computed the same way on the server and in the browser, so hydration matches
  const [initial] = useState(() => checkInitialJson(initialJson));
  const loadFailed = initial.failed;
  const [initialConfig] = useState<InitialConfigType>(() => ({
    namespace: NAMESPACE,
    nodes: editorNodes,
    theme: editorTheme,
    onError: (error) => console.error(error),
    editorState: initial.state,
  }));

  return (
    <div className={`body-editor${invalid ? " invalid" : ""}`}>
      <LexicalComposer initialConfig={initialConfig}>
        <Toolbar uploadUrl={uploadUrl} csrfToken={csrfToken} />
        {loadFailed && (
          <p className="editor-notice" id={noticeId}>
            {t("editor.loadFailed")}
          </p>
        )}
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
                placeholder={
                  <div className="editor-placeholder" aria-hidden="true">
                    {t("editor.placeholder")}
                  </div>
                }
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
        <CompositionGuardPlugin />
        <HiddenInputPlugin inputRef={inputRef} onChange={onChange} />
      </LexicalComposer>
      <HiddenInput ref={inputRef} name={name} initialValue={initialValue} />
    </div>
  );
}

// React writes `defaultValue` into a hidden input's value on every render, which would undo what
// HiddenInputPlugin wrote; memo keeps the parent's re-renders (autosave status…) away from it.
// Without JavaScript the stored body is posted back unchanged.
const HiddenInput = memo(
  forwardRef<HTMLInputElement, { name: string; initialValue: string }>(function HiddenInput({ name, initialValue }, ref) {
    return <input ref={ref} type="hidden" name={name} defaultValue={initialValue} />;
  }),
);

/**
 * Parses a stored state once in a throwaway editor. A string that parses is handed to
 * LexicalComposer, which commits it synchronously (so the first render, on the server and in the
 * browser, already has the content); anything else starts empty instead of crashing the page.
 */
function checkInitialJson(json: string | null): { state: string | undefined; failed: boolean } {
  if (!json) return { state: undefined, failed: false };
  try {
    const probe = createEditor({
      namespace: NAMESPACE,
      nodes: editorNodes,
      onError: (error) => {
        throw error;
      },
    });
    const children = probe.parseEditorState(json).read(() => $getRoot().getChildren());
    if (children.length === 0) return { state: undefined, failed: false };
    const blocks = children.every((node) => ($isElementNode(node) || $isDecoratorNode(node)) && !node.isInline());
    return blocks ? { state: json, failed: false } : { state: undefined, failed: true };
  } catch {
    return { state: undefined, failed: true };
  }
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
    // the baseline: what the editor holds once loading and the plugins' normalizing transforms
    // have been committed; not a change
    editor.read(() => undefined);
    write(editor.getEditorState(), false);
    return mergeRegister(
      editor.registerUpdateListener(({ editorState, dirtyElements, dirtyLeaves }) => {
        const dirty = dirtyElements.size > 0 || dirtyLeaves.size > 0;
        if (editor.isComposing()) {
          if (dirty) pending = true;
          return;
        }
        if (!dirty && !pending) return;
        pending = false;
        write(editorState, true);
      }),
      editor.registerRootListener((root) => {
        if (!root) return;
        root.addEventListener("compositionend", flushAfterComposition);
        return () => root.removeEventListener("compositionend", flushAfterComposition);
      }),
    );
  }, [editor, inputRef]);

  return null;
}

/**
 * Shortcuts pressed while an input method is composing belong to the input method. Lexical ignores
 * their keydown, but Chromium still turns Ctrl+B/I/U and Ctrl+Z/Y into beforeinput commands
 * (formatBold, historyUndo…): Lexical would then format or undo in the middle of the composition,
 * which ends it early, leaves the pinyin in the text and can undo text typed before. Such commands
 * are dropped before Lexical sees them.
 */
function CompositionGuardPlugin() {
  const [editor] = useLexicalComposerContext();
  useEffect(
    () =>
      editor.registerRootListener((root, previous) => {
        const composing = { now: false };
        const start = () => (composing.now = true);
        const end = () => (composing.now = false);
        const guard = (event: Event) => {
          const type = (event as InputEvent).inputType ?? "";
          if (!(composing.now || editor.isComposing()) || !/^(format|history)/.test(type)) return;
          event.preventDefault();
          event.stopImmediatePropagation();
        };
        const listen = (el: HTMLElement, on: boolean) => {
          const method = on ? "addEventListener" : "removeEventListener";
          el[method]("compositionstart", start, true);
          el[method]("compositionend", end, true);
          el[method]("beforeinput", guard, true);
        };
        if (previous) listen(previous, false);
        if (!root) return;
        listen(root, true);
        return () => listen(root, false);
      }),
    [editor],
  );
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
    return mergeRegister(editor.registerNodeTransform(LinkNode, $unwrapUnsafe), editor.registerNodeTransform(AutoLinkNode, $unwrapUnsafe));
  }, [editor]);
  return null;
}
