import { useLexicalComposerContext } from "@lexical/react/LexicalComposerContext";
import { useLexicalNodeSelection } from "@lexical/react/useLexicalNodeSelection";
import {
  $applyNodeReplacement,
  $getDocument,
  $getNodeByKey,
  $getSelection,
  $isNodeSelection,
  CLICK_COMMAND,
  COMMAND_PRIORITY_LOW,
  DecoratorNode,
  KEY_BACKSPACE_COMMAND,
  KEY_DELETE_COMMAND,
  mergeRegister,
  type DOMConversionMap,
  type DOMConversionOutput,
  type DOMExportOutput,
  type EditorConfig,
  type LexicalNode,
  type NodeKey,
  type SerializedLexicalNode,
  type Spread,
} from "lexical";
import { useEffect, type JSX } from "react";
import { isSafeImageSrc } from "~/lexical/nodes";

export interface ImagePayload {
  src: string;
  altText: string;
  width?: number;
  height?: number;
}

/** The stored form, exactly what app/lexical/validate.ts accepts for "image". */
export type SerializedImageNode = Spread<{ type: "image"; version: 1; src: string; altText: string; width?: number; height?: number }, SerializedLexicalNode>;

function dimension(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.min(4000, Math.round(value)) : undefined;
}

/** An uploaded image (src always `/uploads/<file>`), inline like the server renders it. */
export class ImageNode extends DecoratorNode<JSX.Element> {
  __src: string;
  __altText: string;
  __width: number | undefined;
  __height: number | undefined;

  static getType(): string {
    return "image";
  }

  static clone(node: ImageNode): ImageNode {
    return new ImageNode(node.__src, node.__altText, node.__width, node.__height, node.__key);
  }

  static importJSON(json: Record<string, unknown>): ImageNode {
    return $createImageNode({
      src: typeof json.src === "string" ? json.src : "",
      altText: typeof json.altText === "string" ? json.altText : "",
      width: dimension(json.width),
      height: dimension(json.height),
    });
  }

  // Pasted HTML: only our own uploads become images; any other <img> is dropped, because the
  // server would refuse the whole body for one foreign image.
  static importDOM(): DOMConversionMap | null {
    return {
      img: () => ({ conversion: convertImageElement, priority: 0 }),
    };
  }

  constructor(src: string, altText: string, width?: number, height?: number, key?: NodeKey) {
    super(key);
    this.__src = src;
    this.__altText = altText;
    this.__width = width;
    this.__height = height;
  }

  exportJSON(): SerializedImageNode {
    const json: SerializedImageNode = { type: "image", version: 1, src: this.__src, altText: this.__altText };
    if (this.__width !== undefined) json.width = this.__width;
    if (this.__height !== undefined) json.height = this.__height;
    return json;
  }

  exportDOM(): DOMExportOutput {
    const img = $getDocument().createElement("img");
    img.setAttribute("src", this.__src);
    img.setAttribute("alt", this.__altText);
    if (this.__width) img.setAttribute("width", String(this.__width));
    if (this.__height) img.setAttribute("height", String(this.__height));
    return { element: img };
  }

  createDOM(config: EditorConfig): HTMLElement {
    const span = $getDocument().createElement("span");
    const className = config.theme.image;
    if (typeof className === "string" && className) span.className = className;
    return span;
  }

  updateDOM(): false {
    return false;
  }

  getSrc(): string {
    return this.getLatest().__src;
  }

  getAltText(): string {
    return this.getLatest().__altText;
  }

  setAltText(altText: string): this {
    const writable = this.getWritable();
    writable.__altText = altText;
    return writable;
  }

  getTextContent(): string {
    return this.__altText;
  }

  isInline(): true {
    return true;
  }

  decorate(): JSX.Element {
    return <ImageComponent nodeKey={this.getKey()} src={this.__src} altText={this.__altText} width={this.__width} height={this.__height} />;
  }
}

function convertImageElement(domNode: HTMLElement): DOMConversionOutput {
  const src = domNode.getAttribute("src");
  if (!isSafeImageSrc(src)) return { node: null };
  return {
    node: $createImageNode({
      src,
      altText: domNode.getAttribute("alt") ?? "",
      width: dimension(Number(domNode.getAttribute("width"))),
      height: dimension(Number(domNode.getAttribute("height"))),
    }),
  };
}

export function $createImageNode({ src, altText, width, height }: ImagePayload): ImageNode {
  return $applyNodeReplacement(new ImageNode(src, altText.slice(0, 300), dimension(width), dimension(height)));
}

export function $isImageNode(node: LexicalNode | null | undefined): node is ImageNode {
  return node instanceof ImageNode;
}

/** Click selects the image (outlined); Delete or Backspace then removes it. */
function ImageComponent({ nodeKey, src, altText, width, height }: { nodeKey: NodeKey; src: string; altText: string; width?: number; height?: number }) {
  const [editor] = useLexicalComposerContext();
  const [isSelected, setSelected, clearSelection] = useLexicalNodeSelection(nodeKey);

  useEffect(() => {
    const $onDelete = (event: KeyboardEvent) => {
      const selection = $getSelection();
      if (!isSelected || !$isNodeSelection(selection)) return false;
      event.preventDefault();
      $getNodeByKey(nodeKey)?.remove();
      return true;
    };
    return mergeRegister(
      editor.registerCommand(
        CLICK_COMMAND,
        (event: MouseEvent) => {
          const element = editor.getElementByKey(nodeKey);
          if (!element || !(event.target instanceof Node) || !element.contains(event.target)) return false;
          if (!event.shiftKey) clearSelection();
          setSelected(true);
          return true;
        },
        COMMAND_PRIORITY_LOW,
      ),
      editor.registerCommand(KEY_DELETE_COMMAND, $onDelete, COMMAND_PRIORITY_LOW),
      editor.registerCommand(KEY_BACKSPACE_COMMAND, $onDelete, COMMAND_PRIORITY_LOW),
    );
  }, [clearSelection, editor, isSelected, nodeKey, setSelected]);

  return <img src={src} alt={altText} width={width} height={height} draggable={false} className={isSelected ? "selected" : undefined} />;
}
