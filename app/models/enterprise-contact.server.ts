import { z } from "zod";
import { db } from "~/utils/db.server";
import { parseForm, type FieldErrors } from "~/utils/forms.server";
import { recordActivity } from "./common.server";
import { chooseEnterprise, confirmProposedEnterprise, EnterpriseChoiceFields, ONE_ENTERPRISE } from "./enterprise.server";

// 企业联系人: a user asks to speak for an enterprise (an existing one, or a new name); a coordinator
// confirms. A typed name becomes a public enterprise only then, never by itself.

export type ContactOutcome = { ok: true } | { ok: false; status: 400 | 403 | 404 | 409; errors: FieldErrors; values: Record<string, string> };

export const ContactRequestSchema = z
  .object({
    ...EnterpriseChoiceFields,
    phone: z
      .string()
      .trim()
      .regex(/^[0-9+\-() ]{5,20}$/, "need.form.phone"),
  })
  .refine(...ONE_ENTERPRISE);

export function getContact(userId: string) {
  return db.enterpriseContact.findUnique({ where: { userId }, include: { enterprise: { select: { slug: true, name: true } } } });
}

/**
 * A user asks to become an enterprise's contact. Asking again replaces the request, a confirmed one
 * too: speaking for another enterprise waits for a coordinator like the first time.
 */
export async function requestContact(userId: string, form: FormData): Promise<ContactOutcome> {
  const parsed = parseForm(ContactRequestSchema, form);
  if (!parsed.ok) return { ok: false, status: 400, errors: parsed.errors, values: parsed.values };
  const { phone } = parsed.data;
  const choice = await chooseEnterprise(db, parsed.data);
  if (!choice.ok) return { ok: false, status: 400, errors: { [choice.field]: "form.invalid" }, values: parsed.values };
  const { enterpriseId, proposedName } = choice;
  await db.$transaction(async (tx) => {
    const row = await tx.enterpriseContact.upsert({
      where: { userId },
      create: { userId, enterpriseId, proposedName, phone, status: "pending" },
      update: { enterpriseId, proposedName, phone, status: "pending", confirmedById: null },
    });
    await recordActivity(tx, { verb: "contact.requested", subjectType: "enterpriseContact", subjectId: row.id, actorId: userId, summary: proposedName });
  });
  return { ok: true };
}

export function listPendingContacts() {
  return db.enterpriseContact.findMany({
    where: { status: "pending" },
    orderBy: { createdAt: "asc" },
    include: { user: { select: { name: true, email: true } }, enterprise: { select: { slug: true, name: true } } },
  });
}

/** A coordinator confirms (creating a proposed enterprise then) or rejects a contact request. */
export async function decideContact(actor: { id: string; role: string }, id: string, decision: "confirm" | "reject"): Promise<ContactOutcome> {
  if (actor.role !== "coordinator" && actor.role !== "admin") return { ok: false, status: 403, errors: { _form: "need.error.notCoordinator" }, values: {} };
  return db.$transaction(async (tx): Promise<ContactOutcome> => {
    const c = await tx.enterpriseContact.findUnique({ where: { id } });
    if (!c) return { ok: false, status: 404, errors: { _form: "contact.notFound" }, values: {} };
    if (c.status !== "pending") return { ok: false, status: 409, errors: { _form: "contact.alreadyDecided" }, values: {} };
    let enterpriseId = c.enterpriseId;
    if (decision === "confirm" && !enterpriseId) enterpriseId = await confirmProposedEnterprise(tx, c.proposedName);
    await tx.enterpriseContact.update({ where: { id }, data: { status: decision === "confirm" ? "confirmed" : "rejected", enterpriseId, confirmedById: actor.id } });
    await recordActivity(tx, { verb: `contact.${decision}ed`, subjectType: "enterpriseContact", subjectId: id, actorId: actor.id, summary: c.proposedName });
    return { ok: true };
  });
}
