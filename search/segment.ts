import { Jieba } from "@node-rs/jieba";
import { dict } from "@node-rs/jieba/dict.js";

// One segmenter for the whole process: loading the dictionary takes ~200 ms.
let jieba: Jieba | null = null;

export function segmenter(): Jieba {
  return (jieba ??= Jieba.withDict(dict));
}

/** Words of a Chinese (or mixed) text, as jieba cuts them for reading. */
export function cut(text: string): string[] {
  return segmenter().cut(text, false).filter((w) => w.trim());
}
