import type { MessageKey } from "~/i18n/messages";
import { isCoordinator } from "~/utils/auth.server";
import { db, type Prisma } from "~/utils/db.server";
import { parseForm, type FieldErrors } from "~/utils/forms.server";
import type { SessionUser } from "~/utils/session.server";
import { recordActivity } from "./common.server";
import { chooseEnterprise, confirmProposedEnterprise } from "./enterprise.server";
import { AdoptionSchema } from "./form-schemas.server";

// —— adoption records (采用记录) ——

/** Adoption records anyone may see and count: those whose enterprise is confirmed. */
export const CONFIRMED_ADOPTION = { status: "confirmed", enterpriseId: { not: null } } satisfies Prisma.AdoptionWhereInput;

/** The confirmed records of a list read with CONFIRMED_ADOPTION, typed as having their enterprise. */
export function confirmedOnly<A extends { status: string; enterprise: { name: string; slug: string } | null }>(list: A[]): (A & { enterprise: { name: string; slug: string } })[] {
  return list.filter((a): a is A & { enterprise: { name: string; slug: string } } => a.status === "confirmed" && a.enterprise !== null);
}

export type AdoptionOutcome = { ok: true; pending: boolean } | { ok: false; errors: FieldErrors; values: Record<string, string> };

/**
 * Records that an enterprise adopted a result, when, with what measured benefit. The enterprise is
 * picked from the list, or named anew: then the record waits for a coordinator, who confirms the new
 * enterprise the way contacts' new enterprises are confirmed (chooseEnterprise); until then it is
 * neither shown nor counted, and no enterprise exists.
 */
export async function recordAdoption(resultId: string, form: FormData, user: SessionUser): Promise<AdoptionOutcome> {
  const parsed = parseForm(AdoptionSchema, form);
  if (!parsed.ok) return { ok: false, errors: parsed.errors, values: parsed.values };
  const { adoptedOn, benefit } = parsed.data;
  return db.$transaction(async (tx): Promise<AdoptionOutcome> => {
    const choice = await chooseEnterprise(tx, parsed.data);
    if (!choice.ok) return { ok: false, errors: { [choice.field]: "form.invalid" }, values: parsed.values };
    const r = await tx.result.findUniqueOrThrow({ where: { id: resultId } });
    let id: string;
    if (choice.enterpriseId) {
      const enterpriseId = choice.enterpriseId;
      id = (
        await tx.adoption.upsert({
          where: { resultId_enterpriseId: { resultId, enterpriseId } },
          create: { resultId, enterpriseId, adoptedOn, benefit, recordedById: user.id },
          update: { adoptedOn, benefit, status: "confirmed" },
        })
      ).id;
    } else {
      const same = await tx.adoption.findFirst({ where: { resultId, enterpriseId: null, proposedName: choice.proposedName, status: "pending" }, select: { id: true } });
      id = same
        ? (await tx.adoption.update({ where: { id: same.id }, data: { adoptedOn, benefit } })).id
        : (await tx.adoption.create({ data: { resultId, proposedName: choice.proposedName, status: "pending", adoptedOn, benefit, recordedById: user.id } })).id;
    }
    const name = choice.proposedName || (await tx.enterprise.findUniqueOrThrow({ where: { id: choice.enterpriseId! } })).name;
    await recordActivity(tx, {
      verb: choice.enterpriseId ? "result.adopted" : "adoption.proposed",
      subjectType: choice.enterpriseId ? "result" : "adoption",
      subjectId: choice.enterpriseId ? resultId : id,
      // a name nobody has confirmed stays off the studio's public feed
      studioId: choice.enterpriseId ? r.studioId : null,
      actorId: user.id,
      summary: `${r.title} ← ${name}`,
    });
    return { ok: true, pending: !choice.enterpriseId };
  });
}

/** Adoption records that name a new enterprise, waiting for a coordinator (/needs/contacts). */
export function listPendingAdoptions() {
  return db.adoption.findMany({
    where: { status: "pending" },
    orderBy: { createdAt: "asc" },
    include: { result: { select: { slug: true, title: true, studio: { select: { name: true } } } } },
  });
}

/**
 * A coordinator confirms a pending adoption record — its new enterprise is created then, by the rule
 * contacts' new enterprises follow — or rejects it. A record of the same result by the same
 * enterprise that already exists takes the newer date and benefit.
 */
export async function decideAdoption(
  actor: { id: string; role: string } | null,
  id: string,
  decision: "confirm" | "reject",
): Promise<{ ok: true } | { ok: false; status: 403 | 404 | 409; reason: MessageKey }> {
  if (!isCoordinator(actor)) return { ok: false, status: 403, reason: "refused.coordinator" };
  return db.$transaction(async (tx) => {
    const a = await tx.adoption.findUnique({ where: { id }, include: { result: { select: { title: true, studioId: true } } } });
    if (!a) return { ok: false as const, status: 404 as const, reason: "adoption.notFound" as MessageKey };
    if (a.status !== "pending") return { ok: false as const, status: 409 as const, reason: "contact.alreadyDecided" as MessageKey };
    let subjectId = a.id;
    if (decision === "confirm") {
      const enterpriseId = await confirmProposedEnterprise(tx, a.proposedName);
      const twin = await tx.adoption.findUnique({ where: { resultId_enterpriseId: { resultId: a.resultId, enterpriseId } } });
      if (twin) {
        await tx.adoption.update({ where: { id: twin.id }, data: { adoptedOn: a.adoptedOn, benefit: a.benefit, status: "confirmed" } });
        await tx.adoption.delete({ where: { id: a.id } });
        subjectId = twin.id;
      } else {
        await tx.adoption.update({ where: { id: a.id }, data: { enterpriseId, status: "confirmed" } });
      }
    } else {
      await tx.adoption.update({ where: { id: a.id }, data: { status: "rejected" } });
    }
    await recordActivity(tx, {
      verb: `adoption.${decision}ed`,
      subjectType: "adoption",
      subjectId,
      actorId: actor!.id,
      summary: `${a.result.title} ← ${a.proposedName}`,
    });
    return { ok: true as const };
  });
}
