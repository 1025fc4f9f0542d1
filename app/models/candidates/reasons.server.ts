import { MESSAGES, format, type Locale, type MessageKey } from "~/i18n/messages";
import type { EvidenceIndex, ResultRef, Unit } from "./evidence.server";
import { BEARS, COVERED, hasWords, readsLike, type Scored } from "./score.server";
import type { CanSeeResult } from "./visibility.server";

// Reasons are data: which wanted skill which specialty, result, patent or person shows, and the
// industry. Their text is made from message keys in the reader's language, never in the model.

/**
 * `words`: no wanted skill is shown in full there, but the place uses these words of the need
 * (its title's and tags') — words in common, for a partner a coordinator can still check.
 */
/**
 * `similar`: neither — the place whose text reads most like the need as written (its character
 * pairs), for a partner the list ranks by that similarity.
 */
export type CandidateReason =
  | { type: "specialty"; specialty: string; skills: string[]; words?: string[]; similar?: true }
  | { type: "result"; result: ResultRef; skills: string[]; words?: string[]; similar?: true }
  | { type: "patent"; patent: { slug: string; number: string; title: string }; skills: string[]; words?: string[]; similar?: true }
  | { type: "person"; person: { name: string; role: string }; title: string; skills: string[] }
  | { type: "profile"; skills: string[] }
  | { type: "honour"; person: { name: string; role: string }; honours: string[] }
  | { type: "industry"; relation: "same" | "related"; industry: string };

export type RenderedReason = CandidateReason & { text: string };

const MAX_HONOURED = 2;

function placeReason(u: Unit, extra: { words: string[] } | { similar: true }): CandidateReason | null {
  if (u.kind === "specialty") return { type: "specialty", specialty: u.label, skills: [], ...extra };
  if (u.kind === "result" && u.result) {
    const { slug, title, status, adopters } = u.result;
    return { type: "result", result: { slug, title, status, adopters }, skills: [], ...extra };
  }
  if (u.kind === "patent" && u.patent) return { type: "patent", patent: u.patent, skills: [], ...extra };
  return null;
}

/** The reasons behind one candidate, from the same matches that scored it; `canSee` the results the reader may see. */
export function reasonsFor(c: Scored, canSee: CanSeeResult): CandidateReason[] {
  const byUnit = new Map<Unit | null, string[]>();
  for (const m of c.skills) {
    if (m.coverage < COVERED) continue;
    const key = m.unit && m.unit.kind !== "profile" ? m.unit : null;
    byUnit.set(key, [...(byUnit.get(key) ?? []), m.skill]);
  }
  // a result that matches the need's title, though no tag, is cited as well
  const t = c.title;
  if (t.coverage >= COVERED && t.unit?.kind === "result" && !byUnit.has(t.unit)) byUnit.set(t.unit, []);

  const reasons: CandidateReason[] = [];
  const order: Record<string, number> = { result: 0, specialty: 1, patent: 2, person: 3 };
  const units = [...byUnit.entries()].sort(([a], [b]) => (a ? order[a.kind] : 9) - (b ? order[b.kind] : 9));
  for (const [u, skills] of units) {
    if (!u) reasons.push({ type: "profile", skills });
    else if (u.kind === "specialty") reasons.push({ type: "specialty", specialty: u.label, skills });
    else if (u.kind === "result" && u.result) {
      const { slug, title, status, adopters } = u.result;
      reasons.push({ type: "result", result: { slug, title, status, adopters }, skills });
    } else if (u.kind === "patent" && u.patent) reasons.push({ type: "patent", patent: u.patent, skills });
    else if (u.kind === "person" && u.person) reasons.push({ type: "person", person: { name: u.person.name, role: u.person.role }, title: u.person.title ?? "", skills });
  }
  if (!reasons.some((r) => r.type !== "profile" && r.type !== "person")) {
    // no wanted skill in full in a named place: the place that uses most of the need's words, or
    // else the one whose text reads most like the need
    const place =
      c.words && hasWords(c)
        ? placeReason(c.words.unit, { words: c.words.words })
        : (() => {
            const u = readsLike(c, (x) => !x.result || canSee(x.result));
            return u && placeReason(u, { similar: true });
          })();
    if (place) reasons.unshift(place);
  }
  if (!reasons.length) return [];
  const honoured = c.studio.units.filter((u) => u.person && u.person.honours.length).slice(0, MAX_HONOURED);
  for (const u of honoured) reasons.push({ type: "honour", person: { name: u.person!.name, role: u.person!.role }, honours: u.person!.honours });
  if (c.industry) reasons.push({ type: "industry", relation: c.industry === 1 ? "same" : "related", industry: c.studio.industry });
  return reasons;
}

/** The results to show beside a candidate: those its reasons cite, then others that fit well. */
export function resultsFor(c: Scored, reasons: CandidateReason[], max = 3): { slug: string; title: string }[] {
  const cited = reasons.flatMap((r) => (r.type === "result" ? [r.result.slug] : []));
  const picked = [...cited];
  for (const r of c.results) {
    if (picked.length >= max) break;
    if (r.fit >= BEARS && !picked.includes(r.ref.slug)) picked.push(r.ref.slug);
  }
  const titles = new Map(c.results.map((r) => [r.ref.slug, r.ref.title]));
  return picked.map((slug) => ({ slug, title: titles.get(slug) ?? "" }));
}

/** The reasons with their text in the reader's language. */
export function renderReasons(reasons: CandidateReason[], locale: Locale, index: Pick<EvidenceIndex, "industries">): RenderedReason[] {
  const m = MESSAGES[locale];
  const t = (key: MessageKey, vars?: Record<string, string | number>) => format(m[key], vars);
  const list = (items: string[]) => items.join(t("candidates.sep"));
  const skills = (items: string[]) => list(items.map((s) => t("candidates.skill", { skill: s })));
  const role = (r: string) => t(r === "leader" ? "candidates.role.leader" : "candidates.role.member");
  return reasons.map((r) => {
    let text: string;
    switch (r.type) {
      case "specialty":
        text =
          r.skills.length || (!r.words && !r.similar)
            ? t("candidates.reason.specialty", { specialty: r.specialty, skills: skills(r.skills) })
            : r.words
              ? t("candidates.reason.specialtyWords", { specialty: r.specialty, words: skills(r.words) })
              : t("candidates.reason.specialtySimilar", { specialty: r.specialty });
        break;
      case "result": {
        const status = t(`resultStatus.${r.result.status}` as MessageKey);
        const proof = r.result.adopters ? t("candidates.adopters", { status, n: r.result.adopters }) : status;
        text = r.skills.length
          ? t("candidates.reason.result", { title: r.result.title, proof, skills: skills(r.skills) })
          : r.words
            ? t("candidates.reason.resultWords", { title: r.result.title, proof, words: skills(r.words) })
            : r.similar
              ? t("candidates.reason.resultSimilar", { title: r.result.title, proof })
              : t("candidates.reason.resultTitle", { title: r.result.title, proof });
        break;
      }
      case "patent":
        text =
          r.skills.length || (!r.words && !r.similar)
            ? t("candidates.reason.patent", { title: r.patent.title, number: r.patent.number, skills: skills(r.skills) })
            : r.words
              ? t("candidates.reason.patentWords", { title: r.patent.title, number: r.patent.number, words: skills(r.words) })
              : t("candidates.reason.patentSimilar", { title: r.patent.title, number: r.patent.number });
        break;
      case "person":
        text = t("candidates.reason.person", { name: r.person.name, role: role(r.person.role), title: r.title, skills: skills(r.skills) });
        break;
      case "profile":
        text = t("candidates.reason.profile", { skills: skills(r.skills) });
        break;
      case "honour":
        text = t("candidates.reason.honour", { name: r.person.name, role: role(r.person.role), honours: list(r.honours) });
        break;
      case "industry": {
        const ind = index.industries.get(r.industry);
        const name = (locale === "en" ? ind?.nameEn : ind?.nameZh) ?? r.industry;
        text = t(r.relation === "same" ? "candidates.reason.sameIndustry" : "candidates.reason.relatedIndustry", { industry: name });
        break;
      }
    }
    return { ...r, text };
  });
}
