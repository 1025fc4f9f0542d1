// The terms of a search document, as stored in SearchDoc.terms. Free of database and app imports
// so that the segmentation workers (terms-pool.server.ts) can load it on their own.

import type { SearchDocument } from "./engine";
import { indexTerms } from "./segment";
import { encodeTerms } from "./terms";

/** Field boosts: a word in the title counts four times one in the body. */
export const FIELD_BOOSTS = { title: 4, keywords: 2, context: 0.5, body: 1 } as const;

/** The text fields that make a document's terms, in this order. */
export type TermFields = [title: string, keywords: string, context: string, body: string];

export function termFields(doc: SearchDocument): TermFields {
  return [doc.title, doc.keywords, [doc.studio, doc.enterprise].filter(Boolean).join(" "), doc.body];
}

export function termsWithTitle([title, keywords, context, body]: TermFields): { terms: Map<string, number>; title: Set<string> } {
  const titleTerms = indexTerms(title);
  const terms = new Map<string, number>();
  for (const [t, w] of titleTerms) terms.set(t, w * FIELD_BOOSTS.title);
  indexTerms(keywords, terms, FIELD_BOOSTS.keywords);
  indexTerms(context, terms, FIELD_BOOSTS.context);
  indexTerms(body, terms, FIELD_BOOSTS.body);
  return { terms, title: new Set(titleTerms.keys()) };
}

/** SearchDoc.terms of a document: its weighted terms, packed, with the title's terms marked. */
export function encodeFields(fields: TermFields): string {
  const { terms, title } = termsWithTitle(fields);
  return encodeTerms(terms, title);
}
