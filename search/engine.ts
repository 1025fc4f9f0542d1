// The one search interface. Routes and models talk to this, never to an engine directly.

export const DOC_TYPES = ["studio", "result", "patent", "need", "person"] as const;
export type DocType = (typeof DOC_TYPES)[number];

export const FACETS = ["type", "industry", "kind", "level", "enterprise"] as const;
export type FacetName = (typeof FACETS)[number];

export const SORTS = ["relevance", "date"] as const;
export type SortOrder = (typeof SORTS)[number];

/** What an engine indexes for one studio, result, patent or need. */
export interface SearchDocument {
  id: string; // `${type}:${slug}`
  type: DocType;
  slug: string;
  url: string;
  title: string;
  /** short structured words: tags, specialties, benefits, number, kind labels */
  keywords: string;
  body: string;
  studio: string | null;
  studioSlug: string | null;
  enterprise: string | null;
  industry: string | null;
  kind: string | null;
  level: string | null;
  /** ISO date used by the "date" sort */
  date: string;
  illustrative: boolean;
}

export interface SearchQuery {
  q: string;
  filters?: Partial<Record<FacetName, string>>;
  sort?: SortOrder;
  page?: number; // 1-based
  perPage?: number;
}

export interface SearchHit {
  type: DocType;
  slug: string;
  title: string;
  /** the title with matches in <mark>, everything else escaped */
  titleHtml: string;
  /** a passage with matches in <mark>, everything else escaped */
  snippet: string;
  studio: string | null;
  enterprise: string | null;
  url: string;
  illustrative: boolean;
  date: string;
  /** the query words this hit lacks (a partial match); absent or empty when it holds them all */
  missingWords?: string[];
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface SearchResponse {
  query: string;
  total: number;
  page: number;
  perPage: number;
  tookMs: number;
  hits: SearchHit[];
  facets: Record<FacetName, FacetCount[]>;
  /** a corrected query when the given one found little, e.g. simulater → simulator */
  suggestion: string | null;
  /** true when some hit of this page holds only some of the query words (ranked below every hit that holds them all) */
  partial?: boolean;
  /** the query words that no hit of this page holds, in query order */
  missingWords?: string[];
  /** how many documents hold every query word (they rank first); total when the query has one word */
  fullMatches?: number;
  engine: string;
}

export interface Suggestion {
  type: DocType;
  title: string;
  url: string;
}

export interface EngineHealth {
  engine: string;
  status: "ok" | "degraded" | "down";
  documents: number;
  detail?: Record<string, unknown>;
}

export interface SearchEngine {
  readonly name: string;
  search(query: SearchQuery): Promise<SearchResponse>;
  suggest(prefix: string, limit?: number): Promise<Suggestion[]>;
  health(): Promise<EngineHealth>;
}
