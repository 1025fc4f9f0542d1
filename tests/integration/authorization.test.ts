/**
 * THE AUTHORIZATION MATRIX — every route with an action × every role, plus CSRF.
 *
 * Routes covered (route id · who may post · what "allowed" leaves behind):
 *   routes/login                              anyone            a session row and its cookie
 *   routes/register                           anyone            an unconfirmed user and a confirmation mail
 *   routes/logout                             anyone            the session row deleted, the cookie cleared
 *   routes/forgot-password                    anyone            a reset link mailed to an address with an account
 *   routes/reset-password.$token              anyone with the link   the new password; every session of its user ended
 *   routes/language                           anyone            the lang cookie
 *   routes/account                            signed in         a new password hash
 *   routes/join.$token                        signed in         a membership; the invitation used up
 *   routes/uploads                            signed in         an Upload row and the file (201 JSON)
 *   routes/inbox                              signed in         their notification marked read
 *   routes/studios.$slug.edit                 studio editors    a new studio version and its revision
 *   routes/studios.$slug.results.new          studio editors    a draft result, and a redirect to its editor
 *   routes/results.$slug.edit                 studio editors    the result published, version 1, indexed
 *   routes/studios.$slug.patents.new          studio editors    a new patent, and a redirect to its page
 *   routes/patents.$slug.edit                 studio editors    a new patent version and its revision
 *   routes/studios.$slug.history              studio editors    the old body restored as a new version
 *   routes/results.$slug.history              studio editors    the old body restored as a new version
 *   routes/patents.$slug.history              studio editors    the old body restored as a new version
 *   routes/studios.$slug.members              studio admins     an invitation link
 *   routes/studios.$slug.people               studio admins     a person added to the studio's talent base, indexed, with its activity row
 *   routes/alliances.new                      coordinators      an alliance, and a redirect to it
 *   routes/alliances.$slug (invite)           coordinators      the studio invited to the alliance
 *   routes/alliances.$slug (accept)           the invited studio's admins   the studio in the alliance
 *   routes/alliances.$slug (decline)          the invited studio's admins   the invitation declined, with its reason
 *   routes/alliances.$slug (withdraw)         the alliance's manager (its founder, site admins)   the pending invitation withdrawn
 *   routes/alliances.$slug (remove)           the alliance's manager    the member studio removed
 *   routes/alliances.$slug.edit (save)        the alliance's manager    the alliance renamed, its activity row
 *   routes/alliances.$slug.edit (dissolve)    the alliance's manager    the alliance dissolved, its activity row
 *   routes/alliances.$slug.projects.new       coordinators and admins of member studios   a joint project
 *   routes/alliances.$slug.projects.$project  members of participating studios   a project update
 *   routes/alliances.$slug.projects.$project (need)   members of participating studios   the project linked to a need
 *   routes/admin.search                       site admins       a synonym group and its activity row
 *   routes/admin.users (role)                 site admins       the user's new role and its activity row
 *   routes/admin.users (disable)              site admins       the user disabled, their sessions ended
 *   routes/admin.users (enable)               site admins       the disabled user enabled again
 *   routes/admin.users (reset)                site admins       a reset link mailed to the user
 *   routes/admin.settings                     site admins       the footer's ICP number and its activity row
 *   routes/admin.enterprises (create)         site admins       a new enterprise and its activity row
 *   routes/admin.enterprises (update)         site admins       the enterprise renamed
 *   routes/admin.enterprises (archive)        site admins       the enterprise archived
 *   routes/admin.enterprises (merge)          site admins       the studios moved, the other enterprise archived
 *   routes/admin.honours (create)             site admins       a new honour on the list and its activity row
 *   routes/admin.honours (update)             site admins       the honour renamed and moved to another level, logged
 *   routes/admin.honours (retire)             site admins       the honour retired, logged
 *   routes/api.$                              nobody            405: the API is read-only
 *   routes/needs.new                          enterprise contacts and coordinators   a need, and a redirect to it
 *   routes/needs.$slug.edit                   the requester     the need changed
 *   routes/needs.$slug (dispatch)             coordinators      the need dispatched to the studio
 *   routes/needs.$slug (accept/decline/deliver)  the dispatched studio's admins   its answer, its delivery record
 *   routes/needs.$slug (confirm/withdraw)     the requester     the need closed and rated / withdrawn
 *   routes/account.enterprise                 signed in         a pending enterprise-contact request
 *   routes/needs.contacts                     coordinators      the request confirmed
 *   routes/studios.$slug.recognition (request)  studio admins   a recognition request waiting; the studio unchanged
 *   routes/studios.$slug.recognition (set)    coordinators      the studio's level changed, logged
 *   routes/review (recognition)               coordinators      the request approved, the studio's level changed
 *   routes/review (content)                   coordinators      a result waiting for review returned with the reason
 *   routes/review (application)               coordinators      the application approved: a studio, its applicant its admin
 *   routes/apply                              signed in         an application waiting for review
 *   routes/needs.contacts (confirm-adoption)  coordinators      an adoption record's new enterprise created, the record confirmed
 *   routes/studios.$slug.contact              signed in         an enquiry to the studio (需求对接)
 *   routes/enquiries.$id (convert)            coordinators      a submitted need made from the enquiry, linked to it
 *
 * Pages without forms, gated the same way (the last describe block):
 *   routes/enquiries._index                   studio admins (of any studio) and coordinators
 *   routes/enquiries.$id                      the studio's admins and coordinators
 *   routes/needs.$slug.attachments.$file      those who see the whole need: its requester, coordinators, the dispatched studio's people
 *   routes/admin.import (upload)              coordinators      the workbook kept for its preview (nothing in the database)
 *   routes/admin.import (confirm)             coordinators      the previewed studio created, with the import's activity row
 *
 * Roles: anonymous; outsider (an admin of another studio, metro-signal); member and admin of the
 * studio (xu-xin); coordinator (no membership); site admin; enterprise contact (a confirmed contact
 * of 郑州博远轴承有限公司, the enterprise whose needs the needs rows post). "Studio editors" are the studio's
 * members and admins and site admins. Anonymous visitors are sent to log in; the others get 403.
 * Every actor is created afresh for each cell, so no cell can lend rights to another. The alliances
 * are made by another coordinator (the founder), so the "coordinator" role is a coordinator who did
 * not start them: the founder's own rights are tested in alliance-management.test.ts.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { importContent } from "~/models/content-import.server";
import { createInvitation, findInvitation } from "~/models/membership.server";
import { createResultDraft, publishPatent, publishResult, publishStudio } from "~/models/editing.server";
import * as account from "~/routes/account";
import * as adminSearch from "~/routes/admin.search";
import * as adminUsers from "~/routes/admin.users";
import * as adminSettings from "~/routes/admin.settings";
import * as adminEnterprises from "~/routes/admin.enterprises";
import * as adminHonours from "~/routes/admin.honours";
import * as allianceNew from "~/routes/alliances.new";
import * as allianceEdit from "~/routes/alliances.$slug.edit";
import * as alliancePage from "~/routes/alliances.$slug";
import * as projectNew from "~/routes/alliances.$slug.projects.new";
import * as projectPage from "~/routes/alliances.$slug.projects.$project";
import * as inbox from "~/routes/inbox";
import * as apiCatchAll from "~/routes/api.$";
import * as join from "~/routes/join.$token";
import * as language from "~/routes/language";
import * as login from "~/routes/login";
import * as logout from "~/routes/logout";
import * as forgotPassword from "~/routes/forgot-password";
import * as resetPasswordRoute from "~/routes/reset-password.$token";
import { requestPasswordReset } from "~/models/user.server";
import * as patentEdit from "~/routes/patents.$slug.edit";
import * as patentHistory from "~/routes/patents.$slug.history";
import * as register from "~/routes/register";
import * as resultEdit from "~/routes/results.$slug.edit";
import * as resultHistory from "~/routes/results.$slug.history";
import * as studioEdit from "~/routes/studios.$slug.edit";
import * as studioHistory from "~/routes/studios.$slug.history";
import * as members from "~/routes/studios.$slug.members";
import * as studioPeople from "~/routes/studios.$slug.people";
import * as newPatent from "~/routes/studios.$slug.patents.new";
import * as newResult from "~/routes/studios.$slug.results.new";
import * as uploads from "~/routes/uploads";
import * as accountEnterprise from "~/routes/account.enterprise";
import * as needPage from "~/routes/needs.$slug";
import * as needEdit from "~/routes/needs.$slug.edit";
import * as needContacts from "~/routes/needs.contacts";
import * as needsNew from "~/routes/needs.new";
import * as recognitionPage from "~/routes/studios.$slug.recognition";
import * as reviewPage from "~/routes/review";
import * as applyPage from "~/routes/apply";
import * as studioContact from "~/routes/studios.$slug.contact";
import * as enquiryPage from "~/routes/enquiries.$id";
import * as enquiryList from "~/routes/enquiries._index";
import * as needAttachment from "~/routes/needs.$slug.attachments.$file";
import { storeUpload } from "~/models/upload.server";
import * as sheetImport from "~/routes/admin.import";
import { stageSheetImport, stagingDir } from "~/models/sheets/import.server";
import ExcelJS from "exceljs";
import { acceptDispatch, dispatchNeed, postNeed, recordDelivery } from "~/models/need-loop.server";
import { db } from "~/utils/db.server";
import { verifyPassword } from "~/utils/password.server";
import { getUser } from "~/utils/session.server";
import { uploadsDir } from "~/utils/uploads.server";
import { body, formData, newPatentForm, patentForm, resultForm, studioForm } from "../fixtures/editing";
import { png } from "../fixtures/images";
import {
  createUser,
  csrfPair,
  getRequest,
  linkIn,
  loginRedirect,
  mailsTo,
  PASSWORD,
  readMails,
  postRequest,
  sessionCookie,
  settle,
  unique,
  type Fields,
  type Outcome,
  type PostOptions,
  type TestUser,
} from "../setup/auth";

const STUDIO = "xu-xin";
const OTHER_STUDIO = "metro-signal";
const QUIET_STUDIO = "jinxiu-spinning";
/** the studio the enquiry rows write to (需求对接): one admin, so its notices mail one account */
const CONTACT_STUDIO = "distribution-live-line";
const PATENT = "xu-xin-driver-training-console";

const ROLES = ["anonymous", "outsider", "member", "studio admin", "coordinator", "site admin", "enterprise contact"] as const;
const ENTERPRISE = "郑州博远轴承有限公司";
type Role = (typeof ROLES)[number];

// who gets through; everyone else is refused
const ANYONE: Role[] = [...ROLES];
const SIGNED_IN: Role[] = ["outsider", "member", "studio admin", "coordinator", "site admin", "enterprise contact"];
const STUDIO_EDITORS: Role[] = ["member", "studio admin", "site admin"];
const STUDIO_ADMINS: Role[] = ["studio admin", "site admin"];
const COORDINATORS: Role[] = ["coordinator", "site admin"];
const PROPOSERS: Role[] = ["studio admin", "coordinator", "site admin"];
const SITE_ADMINS: Role[] = ["site admin"];
const NOBODY: Role[] = [];

interface Actor {
  role: Role;
  user: TestUser | null;
  /** the Cookie header value of a session made for this cell */
  session: string | null;
}

async function makeActor(role: Role): Promise<Actor> {
  const user =
    role === "anonymous"
      ? null
      : role === "outsider"
        ? await createUser({ studio: OTHER_STUDIO, studioRole: "admin" })
        : role === "member"
          ? await createUser({ studio: STUDIO, studioRole: "member" })
          : role === "studio admin"
            ? await createUser({ studio: STUDIO, studioRole: "admin" })
            : role === "coordinator"
              ? await createUser({ role: "coordinator" })
              : role === "enterprise contact"
                ? await contactOf(ENTERPRISE)
                : await createUser({ role: "admin" });
  return { role, user, session: user ? await sessionCookie(user.id) : null };
}

/** A user who is a confirmed contact of the enterprise. */
async function contactOf(name: string): Promise<TestUser> {
  const user = await createUser();
  const e = await db.enterprise.findUniqueOrThrow({ where: { name } });
  await db.enterpriseContact.create({ data: { userId: user.id, enterpriseId: e.id, status: "confirmed" } });
  return user;
}

/** One request to try: its URL, params and a valid form, and how to see that it worked. */
interface Attempt {
  url: string;
  params: Record<string, string>;
  form: Fields | FormData;
  /** what an allowed request must have done, as the caller sees it and in the database */
  allowed(out: Outcome): Promise<void>;
}

interface Row {
  /** the route id, as Remix names it */
  id: string;
  /** for routes with several forms: which one this row posts */
  intent?: string;
  who: Role[];
  action: (args: ActionFunctionArgs) => unknown;
  /** the page the form lives on, when it is gated like the action */
  loader?: (args: LoaderFunctionArgs) => unknown;
  prepare(actor: Actor): Promise<Attempt>;
}
const nameOf = (row: Row) => (row.intent ? `${row.id} (${row.intent})` : row.id);

let n = 0;
const studioId = () => db.studio.findUniqueOrThrow({ where: { slug: STUDIO } }).then((s) => s.id);
let editor: TestUser; // does the preparatory edits that history rows restore from
let founder: TestUser; // the coordinator who made the alliances below

/** An alliance of its own for one cell; the studio is in it in the given state. */
async function makeAlliance(state: "invited" | "accepted" | null) {
  const slug = `matrix-alliance-${unique()}`;
  const a = await db.alliance.create({
    data: {
      slug,
      name: `轨道交通运维创新联盟${++n}`,
      theme: "城市轨道交通运维",
      industries: JSON.stringify(["rail-transit"]),
      charter: body("联盟章程：共享成果，联合攻关。"),
      charterText: "联盟章程：共享成果，联合攻关。",
      createdById: founder.id,
    },
  });
  if (state) await db.allianceMember.create({ data: { allianceId: a.id, studioId: await studioId(), state } });
  return a;
}

/**
 * An alliance whose member is a studio no matrix actor belongs to, with one admin of its own: the
 * notices its rows send reach that one admin, not every account the other cells gave xu-xin.
 */
async function quietAlliance(state: "invited" | "accepted") {
  const a = await makeAlliance(null);
  const studio = await db.studio.findUniqueOrThrow({ where: { slug: QUIET_STUDIO } });
  await createUser({ studio: QUIET_STUDIO, studioRole: "admin" });
  await db.allianceMember.create({ data: { allianceId: a.id, studioId: studio.id, state } });
  return { a, studio };
}

/** A joint project led by the studio, in an alliance the studio has joined. */
async function makeProject() {
  const a = await makeAlliance("accepted");
  const p = await db.jointProject.create({
    data: { slug: `matrix-project-${unique()}`, allianceId: a.id, title: `车载信号联合攻关${n}`, goals: "降低信号故障率", status: "active" },
  });
  await db.projectParticipant.create({ data: { projectId: p.id, studioId: await studioId(), role: "lead" } });
  return { a, p };
}

/** A body with a text no other cell uses, and that text. */
function marked(label: string) {
  const mark = `${label} ${unique()}`;
  return { mark, json: body(`授权矩阵：${mark}`) };
}

async function lastRevision(subjectType: string, subjectId: string) {
  return db.revision.findFirstOrThrow({ where: { subjectType, subjectId }, orderBy: { version: "desc" } });
}

/** History rows: make version N+1 through the model, then ask to restore version N. */
function historyRow(id: string, type: "studio" | "result" | "patent", mod: typeof studioHistory): Row {
  return {
    id,
    who: STUDIO_EDITORS,
    action: mod.action,
    loader: mod.loader,
    async prepare(actor) {
      let slug: string;
      let read: () => Promise<{ id: string; version: number; body: string }>;
      if (type === "studio") {
        slug = STUDIO;
        read = () => db.studio.findUniqueOrThrow({ where: { slug } });
        const s = await read();
        const ok = await publishStudio(formData(await studioForm(slug, { body: marked("档案").json })), { id: s.id, slug }, editor.id);
        expect(ok).toMatchObject({ ok: true });
      } else if (type === "result") {
        const draft = await createResultDraft(await db.studio.findUniqueOrThrow({ where: { slug: STUDIO } }), `历史成果${++n}`);
        slug = draft.slug;
        read = () => db.result.findUniqueOrThrow({ where: { slug } });
        for (let i = 0; i < 2; i++) {
          const ok = await publishResult(formData(await resultForm(slug, { body: marked("成果").json })), { id: draft.studioId, slug: STUDIO }, slug, editor.id);
          expect(ok).toMatchObject({ ok: true });
        }
      } else {
        slug = PATENT;
        read = () => db.patent.findUniqueOrThrow({ where: { slug } });
        const ok = await publishPatent(formData(await patentForm(slug, { body: marked("专利").json })), { id: await studioId(), slug: STUDIO }, slug, editor.id);
        expect(ok).toMatchObject({ ok: true });
      }
      const current = await read();
      const restoring = current.version - 1;
      const old = await db.revision.findUniqueOrThrow({ where: { subjectType_subjectId_version: { subjectType: type, subjectId: current.id, version: restoring } } });
      const oldBody = JSON.parse(old.data).body as string;
      expect(oldBody).not.toBe(current.body);
      const base = type === "studio" ? "studios" : `${type}s`;
      return {
        url: `/${base}/${slug}/history`,
        params: { slug },
        form: { intent: "restore", version: String(restoring) },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: `?restored=${restoring}` });
          const now = await read();
          expect(now.version).toBe(current.version + 1);
          expect(now.body).toBe(oldBody);
          expect(await lastRevision(type, now.id)).toMatchObject({ version: now.version, authorId: actor.user!.id });
        },
      };
    },
  };
}

// —— the needs loop: needs of 郑州博远轴承有限公司, moved along through the loop's model ——
let BEARING_SLUG = "";
let needPoster: TestUser;
const needForm = (o: Record<string, string> = {}): Fields => ({
  title: `矩阵需求${unique()}`,
  industry: "equipment-manufacturing",
  tags: "机器视觉",
  district: "高新区",
  timeframe: "一个月内",
  contactName: "何部长",
  contactPhone: "0371-6000 0000",
  visibility: "public",
  intent: "submit",
  body: body("套圈表面缺陷靠人工目检，希望评估机器视觉方案。"),
  ...o,
});
const needVersion = async (slug: string) => String((await db.need.findUniqueOrThrow({ where: { slug } })).version);
const xuPerson = async () => (await db.person.findFirstOrThrow({ where: { studio: { slug: STUDIO } } })).id;
const loopActor = async (u: TestUser) => {
  const full = await db.user.findUniqueOrThrow({ where: { id: u.id }, include: { memberships: true } });
  return { id: full.id, role: full.role, memberships: full.memberships };
};

/** A need of the enterprise, posted by another of its contacts and brought to the given status. */
async function makeNeed(status: "open" | "dispatched" | "accepted" | "delivered"): Promise<string> {
  const poster = await loopActor(needPoster);
  const out = await postNeed(poster, formData(needForm()));
  if (!out.ok) throw new Error(JSON.stringify(out.errors));
  const slug = out.slug;
  const steps = ["dispatched", "accepted", "delivered"].slice(0, ["open", "dispatched", "accepted", "delivered"].indexOf(status));
  const admin = await loopActor(editor);
  for (const step of steps) {
    const f: Fields =
      step === "dispatched"
        ? { studios: [STUDIO] }
        : step === "accepted"
          ? { studio: STUDIO, visitDate: "2026-12-20", people: [await xuPerson()] }
          : { studio: STUDIO, date: "2026-12-21", people: [await xuPerson()], hours: "3", work: "现场", outcome: "完成" };
    const run =
      step === "dispatched"
        ? dispatchNeed(await loopActor(founder), slug, formData({ ...f, version: await needVersion(slug) }))
        : step === "accepted"
          ? acceptDispatch(admin, slug, formData({ ...f, version: await needVersion(slug) }))
          : recordDelivery(admin, slug, formData({ ...f, version: await needVersion(slug) }));
    const r = await run;
    if (!r.ok) throw new Error(`${step}: ${JSON.stringify(r.errors)}`);
  }
  return slug;
}

/** A row for one of the need page's forms, on a need brought to the status the step starts from. */
function needStep(
  intent: string,
  who: Role[],
  from: "open" | "dispatched" | "accepted" | "delivered",
  fields: (slug: string) => Promise<Fields>,
  check: (slug: string) => Promise<void>,
): Row {
  return {
    id: "routes/needs.$slug",
    intent,
    who,
    action: needPage.action,
    async prepare() {
      const slug = await makeNeed(from);
      return {
        url: `/needs/${slug}`,
        params: { slug },
        form: { intent, ...(await fields(slug)), version: await needVersion(slug) },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: `/needs/${slug}?done=${intent}` });
          await check(slug);
        },
      };
    },
  };
}

/** Every route file with an action, with who may use it. Keep in step with the comment on top. */
const MATRIX: Row[] = [
  {
    id: "routes/login",
    who: ANYONE,
    action: login.action,
    async prepare() {
      const someone = await createUser();
      return {
        url: "/login",
        params: {},
        form: { email: someone.email, password: PASSWORD, redirectTo: "/account" },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: "/account" });
          const cookie = out.headers.get("Set-Cookie")!;
          expect(cookie).toMatch(/^__session=/);
          expect(await getUser(getRequest("/", cookie.split(";")[0]))).toMatchObject({ id: someone.id });
        },
      };
    },
  },
  {
    id: "routes/register",
    who: ANYONE,
    action: register.action,
    async prepare() {
      const email = `matrix-${unique()}@example.cn`;
      return {
        url: "/register",
        params: {},
        form: { name: "陈新", email, password: "gongjiang-2024-mima", redirectTo: "" },
        async allowed(out) {
          expect(out).toMatchObject({ status: 200, data: { sentTo: email, errors: null } });
          expect(await db.user.findUniqueOrThrow({ where: { email } })).toMatchObject({ name: "陈新", emailVerifiedAt: null });
          expect(mailsTo(email).map((m) => m.subject)).toEqual(["请确认你的邮箱"]);
        },
      };
    },
  },
  {
    id: "routes/forgot-password",
    who: ANYONE,
    action: forgotPassword.action,
    async prepare() {
      const someone = await createUser();
      return {
        url: "/forgot-password",
        params: {},
        form: { email: someone.email },
        async allowed(out) {
          expect(out).toMatchObject({ status: 200, data: { sentTo: someone.email, errors: null } });
          expect(mailsTo(someone.email).map((m) => m.subject)).toEqual(["重设你的密码"]);
          expect(await db.emailToken.count({ where: { userId: someone.id, purpose: "reset-password", usedAt: null } })).toBe(1);
        },
      };
    },
  },
  {
    id: "routes/reset-password.$token",
    who: ANYONE,
    action: resetPasswordRoute.action,
    loader: resetPasswordRoute.loader,
    async prepare() {
      const someone = await createUser();
      const elsewhere = await sessionCookie(someone.id);
      await requestPasswordReset(someone.email, `10.9.${++n % 250}.${n % 199}`, "http://localhost");
      const token = linkIn(mailsTo(someone.email).at(-1)!, "http://localhost/reset-password/").split("/reset-password/")[1];
      return {
        url: `/reset-password/${token}`,
        params: { token },
        form: { password: "reset-password-2024", confirm: "reset-password-2024" },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: "/login?reset=1" });
          const after = (await db.user.findUniqueOrThrow({ where: { id: someone.id } })).passwordHash;
          expect(await verifyPassword(after, "reset-password-2024")).toBe(true);
          expect(await getUser(getRequest("/", elsewhere))).toBeNull();
        },
      };
    },
  },
  {
    id: "routes/logout",
    who: ANYONE,
    action: logout.action,
    async prepare(actor) {
      return {
        url: "/logout",
        params: {},
        form: {},
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: "/" });
          expect(out.headers.get("Set-Cookie")).toMatch(/^__session=;.*Max-Age=0/);
          if (actor.session) {
            expect(await getUser(getRequest("/", actor.session))).toBeNull();
            expect(await db.session.count({ where: { userId: actor.user!.id } })).toBe(0);
          }
        },
      };
    },
  },
  {
    id: "routes/language",
    who: ANYONE,
    action: language.action,
    async prepare() {
      return {
        url: "/language",
        params: {},
        form: { lang: "en", redirectTo: "/studios" },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: "/studios" });
          expect(out.headers.get("Set-Cookie")).toMatch(/^lang=/);
        },
      };
    },
  },
  {
    id: "routes/account",
    who: SIGNED_IN,
    action: account.action,
    loader: account.loader,
    async prepare(actor) {
      const before = actor.user ? (await db.user.findUniqueOrThrow({ where: { id: actor.user.id } })).passwordHash : "";
      return {
        url: "/account",
        params: {},
        form: { intent: "password", currentPassword: PASSWORD, newPassword: "a-new-password-2024" },
        async allowed(out) {
          expect(out).toMatchObject({ status: 200, data: { errors: null, done: true } });
          const after = (await db.user.findUniqueOrThrow({ where: { id: actor.user!.id } })).passwordHash;
          expect(after).not.toBe(before);
          expect(await verifyPassword(after, "a-new-password-2024")).toBe(true);
        },
      };
    },
  },
  {
    id: "routes/join.$token",
    who: SIGNED_IN,
    action: join.action,
    async prepare(actor) {
      const s = await db.studio.findUniqueOrThrow({ where: { slug: STUDIO } });
      const link = await createInvitation(s, "member", editor.id, "http://localhost");
      const token = link.split("/join/")[1];
      return {
        url: `/join/${token}`,
        params: { token },
        form: {},
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: `/studios/${STUDIO}?joined=1` });
          expect(await findInvitation(token)).toBeNull(); // used up
          const m = await db.membership.findUniqueOrThrow({ where: { userId_studioId: { userId: actor.user!.id, studioId: s.id } } });
          // joining as a member never demotes an admin
          expect(m.role).toBe(actor.role === "studio admin" ? "admin" : "member");
        },
      };
    },
  },
  {
    id: "routes/uploads",
    who: SIGNED_IN,
    action: uploads.action,
    async prepare(actor) {
      const form = new FormData();
      form.append("file", new File([png(4, 3)], "照片.png", { type: "image/png" }));
      return {
        url: "/uploads",
        params: {},
        form,
        async allowed(out) {
          expect(out.status).toBe(201);
          const { src, width, height } = out.data as { src: string; width: number; height: number };
          expect({ width, height }).toEqual({ width: 4, height: 3 });
          const name = src.replace(/^\/uploads\//, "");
          expect(await db.upload.findUniqueOrThrow({ where: { path: name } })).toMatchObject({ userId: actor.user!.id, mime: "image/png" });
          expect(existsSync(path.join(uploadsDir(), name))).toBe(true);
        },
      };
    },
  },
  {
    id: "routes/studios.$slug.edit",
    who: STUDIO_EDITORS,
    action: studioEdit.action,
    loader: studioEdit.loader,
    async prepare(actor) {
      const before = await db.studio.findUniqueOrThrow({ where: { slug: STUDIO } });
      const { mark, json } = marked("档案");
      return {
        url: `/studios/${STUDIO}/edit`,
        params: { slug: STUDIO },
        form: await studioForm(STUDIO, { body: json }),
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: `/studios/${STUDIO}?published=1` });
          const after = await db.studio.findUniqueOrThrow({ where: { slug: STUDIO } });
          expect(after.version).toBe(before.version + 1);
          expect(after.bodyText).toContain(mark);
          expect(await lastRevision("studio", after.id)).toMatchObject({ version: after.version, authorId: actor.user!.id });
        },
      };
    },
  },
  {
    id: "routes/studios.$slug.results.new",
    who: STUDIO_EDITORS,
    action: newResult.action,
    loader: newResult.loader,
    async prepare() {
      const title = `授权矩阵新成果${++n}`;
      return {
        url: `/studios/${STUDIO}/results/new`,
        params: { slug: STUDIO },
        form: { title },
        async allowed(out) {
          const r = await db.result.findFirstOrThrow({ where: { title }, include: { studio: true } });
          expect(out).toMatchObject({ status: 302, location: `/results/${r.slug}/edit` });
          expect(r).toMatchObject({ published: false, version: 0, studio: { slug: STUDIO } });
        },
      };
    },
  },
  {
    id: "routes/results.$slug.edit",
    who: STUDIO_EDITORS,
    action: resultEdit.action,
    loader: resultEdit.loader,
    async prepare(actor) {
      const draft = await createResultDraft(await db.studio.findUniqueOrThrow({ where: { slug: STUDIO } }), `授权矩阵成果${++n}`);
      const { mark, json } = marked("成果");
      return {
        url: `/results/${draft.slug}/edit`,
        params: { slug: draft.slug },
        form: await resultForm(draft.slug, { body: json, benefits: "培训时间缩短30%" }),
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: `/results/${draft.slug}?published=1` });
          const r = await db.result.findUniqueOrThrow({ where: { slug: draft.slug } });
          expect(r).toMatchObject({ published: true, version: 1 });
          expect(r.bodyText).toContain(mark);
          expect(await lastRevision("result", r.id)).toMatchObject({ version: 1, authorId: actor.user!.id });
          expect(await db.searchDoc.findUnique({ where: { id: `result:${draft.slug}` } })).not.toBeNull();
        },
      };
    },
  },
  {
    id: "routes/studios.$slug.patents.new",
    who: STUDIO_EDITORS,
    action: newPatent.action,
    loader: newPatent.loader,
    async prepare(actor) {
      const form = newPatentForm(STUDIO, ++n);
      return {
        url: `/studios/${STUDIO}/patents/new`,
        params: { slug: STUDIO },
        form,
        async allowed(out) {
          const p = await db.patent.findUniqueOrThrow({ where: { number: form.number as string }, include: { studio: true } });
          expect(out).toMatchObject({ status: 302, location: `/patents/${p.slug}?published=1` });
          expect(p).toMatchObject({ title: form.title, studio: { slug: STUDIO }, version: 1 });
          expect(await lastRevision("patent", p.id)).toMatchObject({ version: 1, authorId: actor.user!.id });
        },
      };
    },
  },
  {
    id: "routes/patents.$slug.edit",
    who: STUDIO_EDITORS,
    action: patentEdit.action,
    loader: patentEdit.loader,
    async prepare(actor) {
      const before = await db.patent.findUniqueOrThrow({ where: { slug: PATENT } });
      const { mark, json } = marked("专利");
      return {
        url: `/patents/${PATENT}/edit`,
        params: { slug: PATENT },
        form: await patentForm(PATENT, { body: json }),
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: `/patents/${PATENT}?published=1` });
          const after = await db.patent.findUniqueOrThrow({ where: { slug: PATENT } });
          expect(after.version).toBe(before.version + 1);
          expect(after.bodyText).toContain(mark);
          expect(await lastRevision("patent", after.id)).toMatchObject({ version: after.version, authorId: actor.user!.id });
        },
      };
    },
  },
  historyRow("routes/studios.$slug.history", "studio", studioHistory),
  historyRow("routes/results.$slug.history", "result", resultHistory),
  historyRow("routes/patents.$slug.history", "patent", patentHistory),
  {
    // members do not edit the talent base: like the member list, it is the studio's roster (docs/people.md)
    id: "routes/studios.$slug.people",
    who: STUDIO_ADMINS,
    action: studioPeople.action,
    loader: studioPeople.loader,
    async prepare(actor) {
      const name = `测试人员${Math.random().toString(36).slice(2, 8)}`;
      return {
        url: `/studios/${STUDIO}/people`,
        params: { slug: STUDIO },
        form: { intent: "add", name, role: "member" },
        async allowed(out) {
          expect(out.status).toBe(200);
          const p = await db.person.findFirstOrThrow({ where: { name, studio: { slug: STUDIO } } });
          expect(p).toMatchObject({ role: "member", origin: "editor" });
          expect(await db.searchDoc.findUnique({ where: { id: `person:${p.slug}` } })).toMatchObject({ title: name });
          expect(await db.activity.findFirst({ where: { verb: "person.created", subjectId: p.id, actorId: actor.user!.id } })).not.toBeNull();
        },
      };
    },
  },
  {
    id: "routes/studios.$slug.members",
    who: STUDIO_ADMINS,
    action: members.action,
    loader: members.loader,
    async prepare(actor) {
      return {
        url: `/studios/${STUDIO}/members`,
        params: { slug: STUDIO },
        form: { intent: "invite", role: "member", email: "" },
        async allowed(out) {
          expect(out.status).toBe(200);
          const link = (out.data as { link: string }).link;
          expect(link).toMatch(/^http:\/\/localhost\/join\/[A-Za-z0-9_-]{43}$/);
          const inv = await findInvitation(link.split("/join/")[1]);
          expect(inv).toMatchObject({ studio: { slug: STUDIO }, role: "member", createdById: actor.user!.id });
        },
      };
    },
  },
  {
    id: "routes/inbox",
    who: SIGNED_IN,
    action: inbox.action,
    loader: inbox.loader,
    async prepare(actor) {
      const note = actor.user
        ? await db.notification.create({ data: { userId: actor.user.id, kind: "alliance.invited", title: "徐欣创新工作室受邀加入联盟", url: "/alliances" } })
        : null;
      return {
        url: "/inbox",
        params: {},
        form: { id: note?.id ?? "none", to: "/inbox" },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: "/inbox" });
          expect((await db.notification.findUniqueOrThrow({ where: { id: note!.id } })).readAt).toBeInstanceOf(Date);
        },
      };
    },
  },
  {
    id: "routes/alliances.new",
    who: COORDINATORS,
    action: allianceNew.action,
    loader: allianceNew.loader,
    async prepare(actor) {
      const name = `郑州轨道交通创新联盟${++n}`;
      return {
        url: "/alliances/new",
        params: {},
        form: { name, theme: "城市轨道交通运维", industries: ["rail-transit"], invite: [OTHER_STUDIO], charter: body("联盟章程：共享成果，联合攻关。") },
        async allowed(out) {
          const a = await db.alliance.findFirstOrThrow({ where: { name }, include: { members: { include: { studio: true } } } });
          expect(out).toMatchObject({ status: 302, location: `/alliances/${a.slug}` });
          expect(a.createdById).toBe(actor.user!.id);
          expect(a.members.map((m) => [m.studio.slug, m.state])).toEqual([[OTHER_STUDIO, "invited"]]);
        },
      };
    },
  },
  {
    id: "routes/alliances.$slug",
    intent: "invite",
    who: COORDINATORS,
    action: alliancePage.action,
    async prepare() {
      const a = await makeAlliance(null);
      return {
        url: `/alliances/${a.slug}`,
        params: { slug: a.slug },
        form: { intent: "invite", studio: STUDIO },
        async allowed(out) {
          expect(out).toMatchObject({ status: 200, data: { invited: ["徐欣创新工作室"], error: null } });
          expect(await db.allianceMember.findFirstOrThrow({ where: { allianceId: a.id } })).toMatchObject({ studioId: await studioId(), state: "invited" });
        },
      };
    },
  },
  {
    id: "routes/alliances.$slug",
    intent: "accept",
    who: STUDIO_ADMINS,
    action: alliancePage.action,
    async prepare() {
      const a = await makeAlliance("invited");
      return {
        url: `/alliances/${a.slug}`,
        params: { slug: a.slug },
        form: { intent: "accept", studio: STUDIO },
        async allowed(out) {
          expect(out).toMatchObject({ status: 200, data: { invited: null, error: null } });
          expect(await db.allianceMember.findFirstOrThrow({ where: { allianceId: a.id } })).toMatchObject({ state: "accepted" });
        },
      };
    },
  },
  {
    id: "routes/alliances.$slug",
    intent: "decline",
    who: STUDIO_ADMINS,
    action: alliancePage.action,
    async prepare() {
      const a = await makeAlliance("invited");
      return {
        url: `/alliances/${a.slug}`,
        params: { slug: a.slug },
        form: { intent: "decline", studio: STUDIO, reason: "人手不足" },
        async allowed(out) {
          expect(out).toMatchObject({ status: 200, data: { error: null } });
          expect(await db.allianceMember.findFirstOrThrow({ where: { allianceId: a.id } })).toMatchObject({ state: "declined", declineReason: "人手不足" });
        },
      };
    },
  },
  {
    id: "routes/alliances.$slug",
    intent: "withdraw",
    who: SITE_ADMINS,
    action: alliancePage.action,
    async prepare(actor) {
      const { a, studio } = await quietAlliance("invited");
      return {
        url: `/alliances/${a.slug}`,
        params: { slug: a.slug },
        form: { intent: "withdraw", studio: QUIET_STUDIO },
        async allowed(out) {
          expect(out).toMatchObject({ status: 200, data: { done: { kind: "withdrawn", studio: studio.name } } });
          expect(await db.allianceMember.findFirstOrThrow({ where: { allianceId: a.id } })).toMatchObject({ state: "withdrawn" });
          expect(await db.activity.findFirst({ where: { allianceId: a.id, verb: "alliance.withdrawn" } })).toMatchObject({ actorId: actor.user!.id });
        },
      };
    },
  },
  {
    id: "routes/alliances.$slug",
    intent: "remove",
    who: SITE_ADMINS,
    action: alliancePage.action,
    async prepare(actor) {
      const { a } = await quietAlliance("accepted");
      return {
        url: `/alliances/${a.slug}`,
        params: { slug: a.slug },
        form: { intent: "remove", studio: QUIET_STUDIO },
        async allowed(out) {
          expect(out).toMatchObject({ status: 200, data: { done: { kind: "removed" } } });
          expect(await db.allianceMember.findFirstOrThrow({ where: { allianceId: a.id } })).toMatchObject({ state: "removed" });
          expect(await db.activity.findFirst({ where: { allianceId: a.id, verb: "alliance.removed" } })).toMatchObject({ actorId: actor.user!.id });
        },
      };
    },
  },
  {
    id: "routes/alliances.$slug.edit",
    intent: "save",
    who: SITE_ADMINS,
    action: allianceEdit.action,
    loader: allianceEdit.loader,
    async prepare(actor) {
      const a = await makeAlliance("accepted");
      const name = `轨道交通运维联盟（改名）${++n}`;
      return {
        url: `/alliances/${a.slug}/edit`,
        params: { slug: a.slug },
        form: { intent: "save", name, theme: a.theme, industries: ["rail-transit"], charter: a.charter },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: `/alliances/${a.slug}?done=saved` });
          expect((await db.alliance.findUniqueOrThrow({ where: { id: a.id } })).name).toBe(name);
          expect(await db.activity.findFirst({ where: { allianceId: a.id, verb: "alliance.updated" } })).toMatchObject({
            actorId: actor.user!.id,
            after: JSON.stringify({ name }),
          });
        },
      };
    },
  },
  {
    id: "routes/alliances.$slug.edit",
    intent: "dissolve",
    who: SITE_ADMINS,
    action: allianceEdit.action,
    async prepare(actor) {
      const { a } = await quietAlliance("accepted");
      return {
        url: `/alliances/${a.slug}/edit`,
        params: { slug: a.slug },
        form: { intent: "dissolve", sure: "1" },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: `/alliances/${a.slug}?done=dissolved` });
          expect((await db.alliance.findUniqueOrThrow({ where: { id: a.id } })).dissolvedAt).toBeInstanceOf(Date);
          expect(await db.activity.findFirst({ where: { allianceId: a.id, verb: "alliance.dissolved" } })).toMatchObject({ actorId: actor.user!.id });
        },
      };
    },
  },
  {
    id: "routes/alliances.$slug.projects.new",
    who: PROPOSERS,
    action: projectNew.action,
    loader: projectNew.loader,
    async prepare(actor) {
      const a = await makeAlliance("accepted");
      const title = `信号设备联合攻关${++n}`;
      return {
        url: `/alliances/${a.slug}/projects/new`,
        params: { slug: a.slug },
        form: { title, goals: "把道岔故障定位时间缩短一半", lead: STUDIO, partners: [], milestoneTitle: ["方案评审"], milestoneDue: ["2027-03-01"] },
        async allowed(out) {
          const p = await db.jointProject.findFirstOrThrow({ where: { title }, include: { participants: true, milestones: true } });
          expect(out).toMatchObject({ status: 302, location: `/alliances/${a.slug}/projects/${p.slug}` });
          expect(p).toMatchObject({ allianceId: a.id, status: "proposed" });
          expect(p.milestones.map((m) => m.title)).toEqual(["方案评审"]);
          expect(await db.activity.findFirst({ where: { subjectId: p.id, verb: "project.proposed" } })).toMatchObject({ actorId: actor.user!.id });
        },
      };
    },
  },
  {
    id: "routes/alliances.$slug.projects.$project",
    intent: "update",
    who: STUDIO_EDITORS,
    action: projectPage.action,
    async prepare(actor) {
      const { a, p } = await makeProject();
      const text = `本周完成了现场数据采集 ${unique()}`;
      return {
        url: `/alliances/${a.slug}/projects/${p.slug}`,
        params: { slug: a.slug, project: p.slug },
        form: { intent: "update", text },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: `/alliances/${a.slug}/projects/${p.slug}` });
          expect(await db.projectUpdate.findFirstOrThrow({ where: { projectId: p.id } })).toMatchObject({ text, authorId: actor.user!.id });
        },
      };
    },
  },
  {
    id: "routes/alliances.$slug.projects.$project",
    intent: "need",
    who: STUDIO_EDITORS,
    action: projectPage.action,
    async prepare(actor) {
      const { a, p } = await makeProject();
      const need = "bearing-ring-visual-inspection";
      return {
        url: `/alliances/${a.slug}/projects/${p.slug}`,
        params: { slug: a.slug, project: p.slug },
        form: { intent: "need", need },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: `/alliances/${a.slug}/projects/${p.slug}` });
          expect(await db.jointProject.findUniqueOrThrow({ where: { id: p.id }, include: { need: true } })).toMatchObject({ need: { slug: need } });
          expect(await db.activity.findFirst({ where: { subjectId: p.id, verb: "project.needLinked" } })).toMatchObject({ actorId: actor.user!.id });
        },
      };
    },
  },
  {
    id: "routes/admin.search",
    who: SITE_ADMINS,
    action: adminSearch.action,
    loader: adminSearch.loader,
    async prepare(actor) {
      const words = `检漏、泄漏检测、气密性检测${++n}`;
      return {
        url: "/admin/search",
        params: {},
        form: { intent: "create", words },
        async allowed(out) {
          const g = await db.synonymGroup.findFirstOrThrow({ where: { words: JSON.stringify(words.split("、")) } });
          expect(out).toMatchObject({ status: 302, location: `/admin/search?done=created&group=${g.id}` });
          expect(await db.activity.findFirst({ where: { subjectId: g.id, verb: "synonyms.created" } })).toMatchObject({ actorId: actor.user!.id });
        },
      };
    },
  },
  {
    id: "routes/admin.users",
    intent: "role",
    who: SITE_ADMINS,
    action: adminUsers.action,
    loader: adminUsers.loader,
    async prepare(actor) {
      const target = await createUser({ name: `矩阵用户${++n}` });
      return {
        url: "/admin/users",
        params: {},
        form: { intent: "role", userId: target.id, role: "coordinator" },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: `/admin/users?done=role&user=${target.id}` });
          expect((await db.user.findUniqueOrThrow({ where: { id: target.id } })).role).toBe("coordinator");
          expect(await db.activity.findFirst({ where: { subjectId: target.id, verb: "user.roleChanged" } })).toMatchObject({ actorId: actor.user!.id });
        },
      };
    },
  },
  {
    id: "routes/admin.users",
    intent: "disable",
    who: SITE_ADMINS,
    action: adminUsers.action,
    async prepare(actor) {
      const target = await createUser({ name: `矩阵用户${++n}` });
      await sessionCookie(target.id);
      return {
        url: "/admin/users",
        params: {},
        form: { intent: "disable", userId: target.id },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: `/admin/users?done=disable&user=${target.id}` });
          expect((await db.user.findUniqueOrThrow({ where: { id: target.id } })).disabledAt).toBeInstanceOf(Date);
          expect(await db.session.count({ where: { userId: target.id } })).toBe(0);
          expect(await db.activity.findFirst({ where: { subjectId: target.id, verb: "user.disabled" } })).toMatchObject({ actorId: actor.user!.id });
        },
      };
    },
  },
  {
    id: "routes/admin.users",
    intent: "enable",
    who: SITE_ADMINS,
    action: adminUsers.action,
    async prepare(actor) {
      const target = await createUser({ name: `矩阵用户${++n}` });
      await db.user.update({ where: { id: target.id }, data: { disabledAt: new Date() } });
      return {
        url: "/admin/users",
        params: {},
        form: { intent: "enable", userId: target.id },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: `/admin/users?done=enable&user=${target.id}` });
          expect((await db.user.findUniqueOrThrow({ where: { id: target.id } })).disabledAt).toBeNull();
          expect(await db.activity.findFirst({ where: { subjectId: target.id, verb: "user.enabled" } })).toMatchObject({ actorId: actor.user!.id });
        },
      };
    },
  },
  {
    id: "routes/admin.users",
    intent: "reset",
    who: SITE_ADMINS,
    action: adminUsers.action,
    async prepare() {
      const target = await createUser({ name: `矩阵用户${++n}` });
      return {
        url: "/admin/users",
        params: {},
        form: { intent: "reset", userId: target.id },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: `/admin/users?done=reset&user=${target.id}` });
          expect(linkIn(mailsTo(target.email)[0], "http://localhost/reset-password/")).toMatch(/reset-password\/[A-Za-z0-9_-]{20,}$/);
        },
      };
    },
  },
  {
    id: "routes/admin.settings",
    who: SITE_ADMINS,
    action: adminSettings.action,
    loader: adminSettings.loader,
    async prepare(actor) {
      const icp = `豫ICP备${String(10_000_000 + ++n)}号-1`;
      return {
        url: "/admin/settings",
        params: {},
        form: { host: "郑州市总工会", contact: "", icp, police: "" },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: "/admin/settings?done=saved" });
          expect(await db.siteSetting.findUnique({ where: { key: "icp" } })).toMatchObject({ value: icp, updatedById: actor.user!.id });
          expect(await db.activity.findFirst({ where: { verb: "setting.updated", subjectId: "icp", after: JSON.stringify({ icp }) } })).toMatchObject({ actorId: actor.user!.id });
        },
      };
    },
  },
  {
    id: "routes/admin.enterprises",
    intent: "create",
    who: SITE_ADMINS,
    action: adminEnterprises.action,
    loader: adminEnterprises.loader,
    async prepare(actor) {
      const name = `矩阵测试企业有限公司${unique()}`;
      return {
        url: "/admin/enterprises",
        params: {},
        form: { intent: "create", name, nameEn: "", description: "" },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: `/admin/enterprises?done=created&name=${encodeURIComponent(name)}` });
          const e = await db.enterprise.findUniqueOrThrow({ where: { name } });
          expect(await db.activity.findFirst({ where: { subjectId: e.id, verb: "enterprise.created" } })).toMatchObject({ actorId: actor.user!.id });
        },
      };
    },
  },
  {
    id: "routes/admin.enterprises",
    intent: "update",
    who: SITE_ADMINS,
    action: adminEnterprises.action,
    async prepare() {
      const e = await db.enterprise.create({ data: { name: `矩阵旧名企业${unique()}`, slug: `matrix-old-${unique()}` } });
      const name = `矩阵新名企业${unique()}`;
      return {
        url: "/admin/enterprises",
        params: {},
        form: { intent: "update", id: e.id, name, nameEn: "", description: "" },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: `/admin/enterprises?done=updated&name=${encodeURIComponent(name)}` });
          expect((await db.enterprise.findUniqueOrThrow({ where: { id: e.id } })).name).toBe(name);
        },
      };
    },
  },
  {
    id: "routes/admin.enterprises",
    intent: "archive",
    who: SITE_ADMINS,
    action: adminEnterprises.action,
    async prepare() {
      const e = await db.enterprise.create({ data: { name: `矩阵归档企业${unique()}`, slug: `matrix-archive-${unique()}` } });
      return {
        url: "/admin/enterprises",
        params: {},
        form: { intent: "archive", id: e.id },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: `/admin/enterprises?done=archived&name=${encodeURIComponent(e.name)}` });
          expect((await db.enterprise.findUniqueOrThrow({ where: { id: e.id } })).archivedAt).toBeInstanceOf(Date);
        },
      };
    },
  },
  {
    id: "routes/admin.enterprises",
    intent: "merge",
    who: SITE_ADMINS,
    action: adminEnterprises.action,
    async prepare(actor) {
      const from = await db.enterprise.create({ data: { name: `矩阵重复企业${unique()}`, slug: `matrix-dup-${unique()}` } });
      const into = await db.enterprise.create({ data: { name: `矩阵保留企业${unique()}`, slug: `matrix-keep-${unique()}` } });
      const contact = await createUser();
      await db.enterpriseContact.create({ data: { userId: contact.id, enterpriseId: from.id, status: "confirmed" } });
      return {
        url: "/admin/enterprises",
        params: {},
        form: { intent: "merge", from: from.id, into: into.id },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: `/admin/enterprises?done=merged&name=${encodeURIComponent(into.name)}` });
          expect(await db.enterprise.findUniqueOrThrow({ where: { id: from.id } })).toMatchObject({ mergedIntoId: into.id });
          expect(await db.enterpriseContact.findFirst({ where: { userId: contact.id } })).toMatchObject({ enterpriseId: into.id });
          expect(await db.activity.findFirst({ where: { subjectId: from.id, verb: "enterprise.merged" } })).toMatchObject({ actorId: actor.user!.id });
        },
      };
    },
  },
  {
    id: "routes/admin.honours",
    intent: "create",
    who: SITE_ADMINS,
    action: adminHonours.action,
    loader: adminHonours.loader,
    async prepare(actor) {
      const nameZh = `矩阵荣誉${unique()}`;
      return {
        url: "/admin/honours",
        params: {},
        form: { intent: "create", nameZh, nameEn: `Matrix Honour ${unique()}`, level: "municipal" },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: `/admin/honours?done=created&name=${encodeURIComponent(nameZh)}` });
          const h = await db.honour.findFirstOrThrow({ where: { nameZh } });
          expect(await db.activity.findFirst({ where: { subjectId: h.key, verb: "honour.created" } })).toMatchObject({ actorId: actor.user!.id });
        },
      };
    },
  },
  {
    id: "routes/admin.honours",
    intent: "update",
    who: SITE_ADMINS,
    action: adminHonours.action,
    async prepare(actor) {
      const key = `matrix-honour-${unique()}`;
      await db.honour.create({ data: { key, nameZh: `矩阵旧荣誉${unique()}`, nameEn: `Old ${key}`, level: "municipal", rank: 900 } });
      const nameZh = `矩阵新荣誉${unique()}`;
      return {
        url: "/admin/honours",
        params: {},
        form: { intent: "update", key, nameZh, nameEn: `New ${key}`, level: "provincial" },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: `/admin/honours?done=updated&name=${encodeURIComponent(nameZh)}` });
          expect(await db.honour.findUniqueOrThrow({ where: { key } })).toMatchObject({ nameZh, level: "provincial" });
          expect(await db.activity.findFirst({ where: { subjectId: key, verb: "honour.levelChanged" } })).toMatchObject({ actorId: actor.user!.id });
        },
      };
    },
  },
  {
    id: "routes/admin.honours",
    intent: "retire",
    who: SITE_ADMINS,
    action: adminHonours.action,
    async prepare(actor) {
      const key = `matrix-honour-${unique()}`;
      await db.honour.create({ data: { key, nameZh: `矩阵停用荣誉${unique()}`, nameEn: `Retiring ${key}`, level: "municipal", rank: 900 } });
      return {
        url: "/admin/honours",
        params: {},
        form: { intent: "retire", key },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302 });
          expect((await db.honour.findUniqueOrThrow({ where: { key } })).retiredAt).toBeInstanceOf(Date);
          expect(await db.activity.findFirst({ where: { subjectId: key, verb: "honour.retired" } })).toMatchObject({ actorId: actor.user!.id });
        },
      };
    },
  },
  {
    id: "routes/api.$",
    who: NOBODY,
    action: apiCatchAll.action,
    async prepare() {
      return {
        url: `/api/studios/${STUDIO}`,
        params: { "*": `studios/${STUDIO}` },
        form: { name: "改名" },
        async allowed() {
          throw new Error("the API takes no writes from anyone");
        },
      };
    },
  },

  {
    id: "routes/needs.new",
    who: [...COORDINATORS, "enterprise contact"],
    action: needsNew.action,
    async prepare(actor) {
      const title = `矩阵需求${unique()}`;
      return {
        url: "/needs/new",
        params: {},
        form: needForm({ title, enterprise: actor.role === "enterprise contact" ? "" : BEARING_SLUG }),
        async allowed(out) {
          const need = await db.need.findFirstOrThrow({ where: { title }, include: { enterprise: true } });
          expect(out).toMatchObject({ status: 302, location: `/needs/${need.slug}?posted=1` });
          expect(need).toMatchObject({ status: "open", createdById: actor.user!.id, enterprise: { name: ENTERPRISE } });
        },
      };
    },
  },
  {
    id: "routes/needs.$slug.edit",
    who: ["enterprise contact"],
    action: needEdit.action,
    loader: needEdit.loader,
    async prepare() {
      const slug = await makeNeed("open");
      const title = `改过的矩阵需求${unique()}`;
      return {
        url: `/needs/${slug}/edit`,
        params: { slug },
        form: needForm({ title, version: await needVersion(slug) }),
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: `/needs/${slug}?saved=1` });
          expect(await db.need.findUniqueOrThrow({ where: { slug } })).toMatchObject({ title });
        },
      };
    },
  },
  needStep(
    "dispatch",
    COORDINATORS,
    "open",
    async () => ({ studios: [STUDIO], note: "请评估" }),
    async (slug) => {
      const d = await db.needDispatch.findFirstOrThrow({ where: { need: { slug }, studio: { slug: STUDIO } } });
      expect(d.state).toBe("dispatched");
    },
  ),
  needStep(
    "accept",
    STUDIO_ADMINS,
    "dispatched",
    async () => ({ studio: STUDIO, visitDate: "2026-12-20", people: [await xuPerson()] }),
    async (slug) => {
      expect((await db.need.findUniqueOrThrow({ where: { slug } })).status).toBe("accepted");
    },
  ),
  needStep(
    "decline",
    STUDIO_ADMINS,
    "dispatched",
    async () => ({ studio: STUDIO, reason: "人手不足" }),
    async (slug) => {
      expect((await db.needDispatch.findFirstOrThrow({ where: { need: { slug } } })).declineReason).toBe("人手不足");
    },
  ),
  needStep(
    "deliver",
    STUDIO_ADMINS,
    "accepted",
    async () => ({ studio: STUDIO, date: "2026-12-21", people: [await xuPerson()], hours: "4", work: "现场讲解", outcome: "问题解决" }),
    async (slug) => {
      expect(await db.delivery.count({ where: { need: { slug } } })).toBe(1);
    },
  ),
  needStep(
    "confirm",
    ["enterprise contact"],
    "delivered",
    async () => ({ rating: "4", comment: "满意" }),
    async (slug) => {
      expect(await db.need.findUniqueOrThrow({ where: { slug } })).toMatchObject({ status: "closed", rating: 4 });
    },
  ),
  needStep(
    "withdraw",
    ["enterprise contact"],
    "open",
    async () => ({}),
    async (slug) => {
      expect((await db.need.findUniqueOrThrow({ where: { slug } })).status).toBe("withdrawn");
    },
  ),
  {
    id: "routes/account.enterprise",
    who: SIGNED_IN,
    action: accountEnterprise.action,
    loader: accountEnterprise.loader,
    async prepare(actor) {
      return {
        url: "/account/enterprise",
        params: {},
        form: { enterprise: BEARING_SLUG, phone: "0371-6000 1111" },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: "/account/enterprise?sent=1" });
          expect(await db.enterpriseContact.findUniqueOrThrow({ where: { userId: actor.user!.id } })).toMatchObject({ status: "pending" });
        },
      };
    },
  },
  {
    id: "routes/needs.contacts",
    who: COORDINATORS,
    action: needContacts.action,
    loader: needContacts.loader,
    async prepare() {
      const asker = await createUser();
      const c = await db.enterpriseContact.create({ data: { userId: asker.id, proposedName: `矩阵新企业${unique()}`, phone: "0371-1234567" } });
      return {
        url: "/needs/contacts",
        params: {},
        form: { intent: "confirm", id: c.id },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: "/needs/contacts" });
          const done = await db.enterpriseContact.findUniqueOrThrow({ where: { id: c.id }, include: { enterprise: true } });
          expect(done).toMatchObject({ status: "confirmed", enterprise: { name: c.proposedName } });
        },
      };
    },
  },
  {
    id: "routes/studios.$slug.recognition",
    intent: "request",
    who: STUDIO_ADMINS,
    action: recognitionPage.action,
    async prepare(actor) {
      // one request waits at a time: earlier cells' are out of the way
      await db.recognitionRequest.updateMany({ where: { status: "pending" }, data: { status: "returned", reason: "矩阵" } });
      const s = await db.studio.findUniqueOrThrow({ where: { slug: STUDIO } });
      const level = s.level === "provincial" ? "national" : "provincial";
      return {
        url: `/studios/${STUDIO}/recognition`,
        params: { slug: STUDIO },
        form: { intent: "request", level, honours: "河南省示范性劳模创新工作室", evidence: `豫工发〔2024〕${++n}号` },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: `/studios/${STUDIO}/recognition?done=requested` });
          expect(await db.recognitionRequest.findFirstOrThrow({ where: { requestedById: actor.user!.id, status: "pending" } })).toMatchObject({ level });
          expect((await db.studio.findUniqueOrThrow({ where: { slug: STUDIO } })).level).toBe(s.level);
        },
      };
    },
  },
  {
    id: "routes/studios.$slug.recognition",
    intent: "set",
    who: COORDINATORS,
    action: recognitionPage.action,
    async prepare(actor) {
      const s = await db.studio.findUniqueOrThrow({ where: { slug: STUDIO } });
      const level = s.level === "municipal" ? "enterprise" : "municipal";
      return {
        url: `/studios/${STUDIO}/recognition`,
        params: { slug: STUDIO },
        form: { intent: "set", level, honours: "郑州市劳模创新工作室", evidence: "" },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: `/studios/${STUDIO}/recognition?done=set` });
          expect((await db.studio.findUniqueOrThrow({ where: { slug: STUDIO } })).level).toBe(level);
          expect(await db.activity.findFirst({ where: { verb: "recognition.set", actorId: actor.user!.id } })).toBeTruthy();
        },
      };
    },
  },
  {
    id: "routes/review",
    intent: "recognition",
    who: COORDINATORS,
    action: reviewPage.action,
    loader: reviewPage.loader,
    async prepare() {
      const s = await db.studio.findUniqueOrThrow({ where: { slug: OTHER_STUDIO } });
      const level = s.level === "provincial" ? "national" : "provincial";
      await db.recognitionRequest.updateMany({ where: { studioId: s.id, status: "pending" }, data: { status: "returned", reason: "矩阵" } });
      const r = await db.recognitionRequest.create({ data: { studioId: s.id, level, evidence: "矩阵证明", requestedById: editor.id } });
      return {
        url: "/review",
        params: {},
        form: { intent: "approve", type: "recognition", id: r.id, reason: "" },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: "/review?done=approved" });
          expect(await db.recognitionRequest.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ status: "approved" });
          expect((await db.studio.findUniqueOrThrow({ where: { id: s.id } })).level).toBe(level);
        },
      };
    },
  },
  {
    id: "routes/needs.contacts",
    intent: "confirm-adoption",
    who: COORDINATORS,
    action: needContacts.action,
    async prepare() {
      const result = await db.result.findFirstOrThrow({ where: { studio: { slug: STUDIO }, published: true } });
      const a = await db.adoption.create({
        data: { resultId: result.id, proposedName: `矩阵采用企业${unique()}`, status: "pending", adoptedOn: "2026-11-01", benefit: "节省工时" },
      });
      return {
        url: "/needs/contacts",
        params: {},
        form: { intent: "confirm-adoption", id: a.id },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: "/needs/contacts" });
          const done = await db.adoption.findUniqueOrThrow({ where: { id: a.id }, include: { enterprise: true } });
          expect(done).toMatchObject({ status: "confirmed", enterprise: { name: a.proposedName } });
        },
      };
    },
  },
  {
    id: "routes/review",
    intent: "content",
    who: COORDINATORS,
    action: reviewPage.action,
    loader: reviewPage.loader,
    async prepare() {
      const draft = await createResultDraft(await db.studio.findUniqueOrThrow({ where: { slug: STUDIO } }), `待审成果${++n}`);
      await db.result.update({ where: { id: draft.id }, data: { published: true, review: "pending" } });
      const item = await db.reviewItem.create({
        data: { subjectType: "result", subjectId: draft.id, studioId: draft.studioId, kind: "new", title: draft.title, submittedById: editor.id },
      });
      return {
        url: "/review",
        params: {},
        form: { intent: "return", type: "content", id: item.id, reason: "请补充应用效果数据" },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: "/review?done=returned" });
          expect(await db.reviewItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ status: "returned", reason: "请补充应用效果数据" });
          expect(await db.result.findUniqueOrThrow({ where: { id: draft.id } })).toMatchObject({ review: "returned" });
        },
      };
    },
  },
  {
    id: "routes/studios.$slug.contact",
    who: SIGNED_IN,
    action: studioContact.action,
    async prepare(actor) {
      const message = `想了解带电作业工器具能否用于我们的设备 ${unique()}`;
      // a studio nobody in this file belongs to: its (absent) admins get no mail
      return {
        url: `/studios/${CONTACT_STUDIO}/contact`,
        params: { slug: CONTACT_STUDIO },
        form: { message, contactName: "何部长", contact: "0371-6688 1234", organisation: ENTERPRISE },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: `/studios/${CONTACT_STUDIO}/contact?sent=1` });
          expect(await db.enquiry.findFirstOrThrow({ where: { message } })).toMatchObject({ senderId: actor.user!.id, status: "new" });
        },
      };
    },
  },
  {
    id: "routes/review",
    intent: "application",
    who: COORDINATORS,
    action: reviewPage.action,
    loader: reviewPage.loader,
    async prepare() {
      const applicant = await createUser();
      const a = await db.studioApplication.create({
        data: {
          applicantId: applicant.id,
          name: `矩阵申报工作室${unique()}`,
          enterpriseName: `矩阵新企业${unique()}`,
          leader: "韩师傅",
          level: "municipal",
          industryKey: "rail-transit",
          specialties: JSON.stringify(["信号维护"]),
          introduction: "专注地铁信号维护。",
        },
      });
      return {
        url: "/review",
        params: {},
        form: { intent: "approve", type: "application", id: a.id, reason: "" },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: "/review?done=approved" });
          const done = await db.studioApplication.findUniqueOrThrow({ where: { id: a.id }, include: { studio: { include: { enterprise: true, memberships: true } } } });
          expect(done).toMatchObject({
            status: "approved",
            studio: { name: a.name, enterprise: { name: a.enterpriseName }, memberships: [{ userId: applicant.id, role: "admin" }] },
          });
        },
      };
    },
  },
  {
    id: "routes/apply",
    who: SIGNED_IN,
    action: applyPage.action,
    loader: applyPage.loader,
    async prepare(actor) {
      const name = `矩阵入驻工作室${unique()}`;
      return {
        url: "/apply",
        params: {},
        form: {
          name,
          enterprise: BEARING_SLUG,
          enterpriseName: "",
          leader: "周师傅",
          level: "municipal",
          industry: "equipment-manufacturing",
          specialties: "轴承检测",
          introduction: "轴承检测创新。",
        },
        async allowed(out) {
          expect(out).toMatchObject({ status: 302, location: "/apply?sent=1" });
          expect(await db.studioApplication.findFirstOrThrow({ where: { name } })).toMatchObject({ applicantId: actor.user!.id, status: "pending" });
        },
      };
    },
  },
  {
    id: "routes/enquiries.$id",
    intent: "convert",
    who: COORDINATORS,
    action: enquiryPage.action,
    async prepare() {
      const e = await makeEnquiry();
      return {
        url: `/enquiries/${e}`,
        params: { id: e },
        form: {
          intent: "convert",
          title: `矩阵对接需求${unique()}`,
          industry: "equipment-manufacturing",
          tags: "故障诊断",
          visibility: "union",
          enterprise: BEARING_SLUG,
          newName: "",
        },
        async allowed(out) {
          const row = await db.enquiry.findUniqueOrThrow({ where: { id: e }, include: { need: true } });
          expect(row).toMatchObject({ status: "converted", need: { status: "open" } });
          expect(out).toMatchObject({ status: 302, location: `/needs/${row.need!.slug}?done=submit` });
        },
      };
    },
  },
  {
    id: "routes/admin.import",
    intent: "upload",
    who: COORDINATORS,
    action: sheetImport.action,
    loader: sheetImport.loader,
    async prepare() {
      const slug = `matrix-sheet-${unique()}`;
      const form = new FormData();
      form.set("intent", "upload");
      form.set("file", new File([await studioWorkbook(slug)], "台账.xlsx"));
      return {
        url: "/admin/import",
        params: {},
        form,
        async allowed(out) {
          expect(out).toMatchObject({ status: 200, data: { kind: "preview", stage: { rows: 1, preview: { studios: { created: 1 } } } } });
          const token = (out.data as { stage: { token: string } }).stage.token;
          expect(existsSync(path.join(stagingDir(), `${token}.xlsx`))).toBe(true);
          expect(await db.studio.findUnique({ where: { slug } })).toBeNull();
        },
      };
    },
  },
  {
    id: "routes/admin.import",
    intent: "confirm",
    who: COORDINATORS,
    action: sheetImport.action,
    async prepare(actor) {
      const slug = `matrix-sheet-${unique()}`;
      // the upload is the actor's own when they may import; else a coordinator's, which they try to confirm
      const owner = COORDINATORS.includes(actor.role) ? actor.user! : founder;
      const user = (await getUser(getRequest("/", await sessionCookie(owner.id))))!;
      const staged = await stageSheetImport(user, { name: "台账.xlsx", bytes: await studioWorkbook(slug) }, "zh-CN");
      if (!staged.ok) throw new Error(JSON.stringify(staged));
      return {
        url: "/admin/import",
        params: {},
        form: { intent: "confirm", token: staged.token },
        async allowed(out) {
          expect(out).toMatchObject({ status: 200, data: { kind: "done", created: [{ noun: "studios", slug }] } });
          expect(await db.studio.findUnique({ where: { slug } })).toMatchObject({ slug });
          expect(await db.activity.findFirst({ where: { verb: "sheet.imported", actorId: actor.user!.id }, orderBy: { createdAt: "desc" } })).toMatchObject({
            subjectId: staged.token,
          });
        },
      };
    },
  },
];

/** A workbook of one new studio, as the import template's first sheet holds it. */
async function studioWorkbook(slug: string): Promise<Uint8Array<ArrayBuffer>> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet("工作室");
  ws.addRow(["标识", "工作室名称", "所属企业", "领衔人", "级别", "行业", "产业类别", "专长", "成立年份", "简介"]);
  ws.addRow([slug, `矩阵表格工作室${unique()}`, "郑州矩阵机械有限公司", "冯立", "市级", "装备制造", "传统产业", "数控维修", 2020, "矩阵测试用的工作室简介。"]);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/**
 * An enquiry to the studio (xu-xin), written directly: sending one through the model mails every
 * admin of the studio, and every cell of this file makes another (tests/integration/enquiries.test.ts
 * covers sending).
 */
async function makeEnquiry(): Promise<string> {
  const u = await createUser();
  const e = await db.enquiry.create({
    data: { studioId: await studioId(), senderId: u.id, message: `授权矩阵的对接消息 ${unique()}`, contactName: "何部长", contact: "0371-6688 1234" },
  });
  return e.id;
}

/**
 * Everything a refused request might have written: row counts of every table the actions touch,
 * record versions, drafts, used invitations, password hashes, and the uploaded files.
 */
async function written() {
  const [sessions, users, memberships, invitations, usedInvitations, studios, results, patents, revisions, activities, searchDocs, uploadRows, attempts, tokens] =
    await Promise.all([
      db.session.count(),
      db.user.count(),
      db.membership.findMany({ select: { userId: true, studioId: true, role: true }, orderBy: { id: "asc" } }),
      db.invitation.count(),
      db.invitation.count({ where: { usedAt: { not: null } } }),
      db.studio.findMany({ select: { slug: true, version: true, body: true, draftAt: true }, orderBy: { slug: "asc" } }),
      db.result.findMany({ select: { slug: true, version: true, published: true, body: true, draftAt: true }, orderBy: { slug: "asc" } }),
      db.patent.findMany({ select: { slug: true, version: true, body: true, draftAt: true }, orderBy: { slug: "asc" } }),
      db.revision.count(),
      db.activity.count(),
      db.searchDoc.count(),
      db.upload.count(),
      db.loginAttempt.count(),
      db.emailToken.count(),
    ]);
  const synonymGroups = await db.synonymGroup.count();
  const honours = await db.honour.findMany({ orderBy: { key: "asc" } });
  const accounts = await db.user.findMany({ select: { id: true, role: true, disabledAt: true }, orderBy: { id: "asc" } });
  const siteSettings = await db.siteSetting.findMany({ orderBy: { key: "asc" } });
  const enterprises = await db.enterprise.findMany({ select: { id: true, name: true, archivedAt: true, mergedIntoId: true }, orderBy: { id: "asc" } });
  const passwords = await db.user.findMany({ select: { id: true, passwordHash: true }, orderBy: { id: "asc" } });
  const alliances = {
    alliances: await db.alliance.findMany({ select: { id: true, name: true, theme: true, dissolvedAt: true }, orderBy: { id: "asc" } }),
    members: await db.allianceMember.findMany({ select: { allianceId: true, studioId: true, state: true, declineReason: true }, orderBy: { id: "asc" } }),
    projects: await db.jointProject.findMany({ select: { id: true, status: true, outcomeResultId: true, needId: true }, orderBy: { id: "asc" } }),
    updates: await db.projectUpdate.count(),
    milestonesDone: await db.milestone.count({ where: { completedAt: { not: null } } }),
    unread: await db.notification.count({ where: { readAt: null } }),
    adoptions: await db.adoption.count(),
  };
  const needs = {
    needs: await db.need.findMany({ select: { slug: true, status: true, version: true, title: true, rating: true }, orderBy: { slug: "asc" } }),
    dispatches: await db.needDispatch.findMany({ select: { needId: true, studioId: true, state: true, declineReason: true }, orderBy: { id: "asc" } }),
    deliveries: await db.delivery.count(),
    events: await db.needEvent.count(),
    contacts: await db.enterpriseContact.findMany({ select: { userId: true, status: true, enterpriseId: true }, orderBy: { id: "asc" } }),
    enquiries: await db.enquiry.findMany({ select: { id: true, status: true, needId: true }, orderBy: { id: "asc" } }),
    adoptions: await db.adoption.findMany({ select: { id: true, status: true, enterpriseId: true }, orderBy: { id: "asc" } }),
  };
  const backOffice = {
    recognition: await db.recognitionRequest.findMany({ select: { id: true, status: true }, orderBy: { id: "asc" } }),
    reviews: await db.reviewItem.findMany({ select: { id: true, status: true }, orderBy: { id: "asc" } }),
    applications: await db.studioApplication.findMany({ select: { id: true, status: true }, orderBy: { id: "asc" } }),
    levels: await db.studio.findMany({ select: { slug: true, level: true }, orderBy: { slug: "asc" } }),
  };
  const files = existsSync(uploadsDir()) ? readdirSync(uploadsDir()).length : 0;
  const sheetUploads = existsSync(stagingDir()) ? readdirSync(stagingDir()).length : 0;
  const mails = readMails().length;
  return {
    backOffice,
    synonymGroups,
    honours,
    accounts,
    siteSettings,
    enterprises,
    needs,
    alliances,
    mails,
    sessions,
    users,
    memberships,
    invitations,
    usedInvitations,
    studios,
    results,
    patents,
    revisions,
    activities,
    searchDocs,
    uploadRows,
    attempts,
    tokens,
    passwords,
    files,
    sheetUploads,
  };
}

async function attempt(row: Row, actor: Actor, o: Omit<PostOptions, "session"> = {}) {
  const a = await row.prepare(actor);
  const request = await postRequest(a.url, a.form, { ...o, session: actor.session });
  const before = await written();
  const out = await settle(() => row.action({ request, params: a.params, context: { clientAddress: "10.0.0.1" } }));
  return { a, out, before, pathname: new URL(a.url, "http://localhost").pathname };
}

async function expectNothingWritten(before: Awaited<ReturnType<typeof written>>, out: Outcome) {
  expect(await written()).toEqual(before);
  expect(out.headers.get("Set-Cookie")).toBeNull();
}

beforeAll(async () => {
  const report = await importContent(db, "content");
  if (!report.ok) throw new Error(JSON.stringify(report.problems));
  editor = await createUser({ studio: STUDIO, studioRole: "admin", name: "矩阵编辑" });
  founder = await createUser({ role: "coordinator", name: "矩阵协调人" });
  needPoster = await contactOf(ENTERPRISE);
  BEARING_SLUG = (await db.enterprise.findUniqueOrThrow({ where: { name: ENTERPRISE } })).slug;
});

describe("the matrix covers every route", () => {
  test("every route file under app/routes that exports an action is in the matrix, and nothing else is", async () => {
    const dir = path.resolve("app/routes");
    const withAction: string[] = [];
    for (const file of readdirSync(dir)) {
      if (!/\.(tsx?|jsx?)$/.test(file)) continue;
      const mod = (await import(/* @vite-ignore */ path.join(dir, file))) as { action?: unknown };
      if (typeof mod.action === "function") withAction.push(`routes/${file.replace(/\.(tsx?|jsx?)$/, "")}`);
    }
    const covered = [...new Set(MATRIX.map((r) => r.id))];
    const missing = withAction.filter((id) => !covered.includes(id));
    const stale = covered.filter((id) => !withAction.includes(id));
    if (missing.length) throw new Error(`routes with an action but no row in the authorization matrix: ${missing.join(", ")}`);
    if (stale.length) throw new Error(`matrix rows for routes that have no action (any more): ${stale.join(", ")}`);
    const names = MATRIX.map(nameOf);
    expect(new Set(names).size).toBe(names.length);
    expect(withAction.length).toBeGreaterThanOrEqual(17);
  });
});

describe.each(MATRIX.map((row) => [nameOf(row), row] as const))("%s", (_, row) => {
  test.each([...ROLES])("%s", async (role) => {
    const actor = await makeActor(role);
    const { a, out, before, pathname } = await attempt(row, actor);
    if (row.who === NOBODY) {
      expect(out.status).toBe(405);
      expect(out.data).toMatchObject({ error: { code: "method_not_allowed" } });
      await expectNothingWritten(before, out);
    } else if (row.who.includes(role)) {
      await a.allowed(out);
    } else if (role === "anonymous") {
      expect(out).toMatchObject({ status: 302, location: loginRedirect(pathname) });
      await expectNothingWritten(before, out);
    } else {
      expect(out.status).toBe(403);
      expect(out.data).toMatchObject({ error: { code: "forbidden" } });
      await expectNothingWritten(before, out);
    }
  });
});

describe("the pages behind the forms are gated the same way", () => {
  const gated = MATRIX.filter((r) => r.loader);
  test.each(gated.flatMap((row) => ROLES.map((role) => [nameOf(row), role, row] as const)))("%s page, %s", async (_, role, row) => {
    const actor = await makeActor(role);
    const a = await row.prepare(actor);
    const out = await settle(() => row.loader!({ request: getRequest(a.url, actor.session), params: a.params, context: {} }));
    if (row.who.includes(role)) {
      expect(out.status).toBe(200);
      expect(out.thrown).toBe(false);
      expect(out.data).toBeTypeOf("object");
    } else if (role === "anonymous") {
      expect(out).toMatchObject({ status: 302, location: loginRedirect(a.url) });
    } else {
      expect(out.status).toBe(403);
    }
  });
});

/** Someone the row lets through: the site admin where it may, else the first allowed role. */
const allowedRole = (row: Row): Role => (row.who.includes("site admin") ? "site admin" : row.who[0]);

describe("cross-site request forgery", () => {
  const writing = MATRIX.filter((r) => r.who !== NOBODY);

  test.each(writing.map((r) => [nameOf(r), r] as const))("%s refuses a form without the token (403) and writes nothing", async (_, row) => {
    const { out, before } = await attempt(row, await makeActor(allowedRole(row)), { csrf: "missing" });
    expect(out.status).toBe(403);
    expect(out.data).toMatchObject({ error: { code: "csrf" } });
    await expectNothingWritten(before, out);
  });

  test.each(writing.map((r) => [nameOf(r), r] as const))("%s refuses a token that is not the visitor's own (403)", async (_, row) => {
    const [mine, theirs] = [await csrfPair(), await csrfPair()];
    const { out, before } = await attempt(row, await makeActor(allowedRole(row)), { csrf: { cookie: mine.cookie, token: theirs.token } });
    expect(out.status).toBe(403);
    await expectNothingWritten(before, out);
  });

  test.each(writing.map((r) => [nameOf(r), r] as const))("%s refuses a post from a foreign Origin (403) even with a valid token", async (_, row) => {
    const { out, before } = await attempt(row, await makeActor(allowedRole(row)), { origin: "https://evil.example" });
    expect(out.status).toBe(403);
    expect(out.data).toMatchObject({ error: { code: "csrf", key: "csrf.foreignOrigin", message: "This form was sent from another site and was refused." } });
    await expectNothingWritten(before, out);
  });

  test.each(writing.map((r) => [nameOf(r), r] as const))("%s accepts the same post from its own Origin", async (_, row) => {
    const { a, out } = await attempt(row, await makeActor(allowedRole(row)), { origin: "http://localhost" });
    await a.allowed(out);
  });
});

/**
 * A need of the enterprise delivered by the studio, with a PDF attached to the delivery record —
 * written directly: moving it through the loop mails every coordinator each cell of this file made
 * (tests/integration/enquiries.test.ts attaches through the loop).
 */
async function needWithAttachment() {
  const up = await storeUpload(editor.id, new TextEncoder().encode("%PDF-1.4\n%%EOF\n"), { purpose: "attachment", name: "送技报告.pdf" });
  if (!up.ok) throw new Error(up.message);
  const enterprise = await db.enterprise.findUniqueOrThrow({ where: { name: ENTERPRISE } });
  const need = await db.need.create({
    data: {
      slug: `matrix-delivered-${unique()}`,
      title: `矩阵送技需求${unique()}`,
      enterpriseId: enterprise.id,
      industryKey: "equipment-manufacturing",
      status: "delivered",
      body: body("送技"),
      createdById: needPoster.id,
    },
  });
  const dispatch = await db.needDispatch.create({ data: { needId: need.id, studioId: await studioId(), state: "delivered" } });
  await db.delivery.create({
    data: { needId: need.id, dispatchId: dispatch.id, date: "2026-12-21", hours: 3, work: "现场", outcome: "完成", attachments: JSON.stringify([up.file]) },
  });
  return { slug: need.slug, file: up.file! };
}

describe("pages without forms are gated the same way", () => {
  const PAGES: { id: string; who: Role[]; loader: (args: LoaderFunctionArgs) => unknown; prepare(): Promise<{ url: string; params: Record<string, string> }> }[] = [
    {
      id: "routes/enquiries._index",
      who: ["outsider", "studio admin", "coordinator", "site admin"],
      loader: enquiryList.loader,
      prepare: async () => ({ url: "/enquiries", params: {} }),
    },
    {
      id: "routes/enquiries.$id",
      who: ["studio admin", "coordinator", "site admin"],
      loader: enquiryPage.loader,
      async prepare() {
        const id = await makeEnquiry();
        return { url: `/enquiries/${id}`, params: { id } };
      },
    },
    {
      id: "routes/needs.$slug.attachments.$file",
      who: ["member", "studio admin", "coordinator", "site admin", "enterprise contact"],
      loader: needAttachment.loader,
      async prepare() {
        const { slug, file } = await needWithAttachment();
        return { url: `/needs/${slug}/attachments/${file}`, params: { slug, file } };
      },
    },
  ];
  test.each(PAGES.flatMap((p) => ROLES.map((role) => [p.id, role, p] as const)))("%s, %s", async (_, role, page) => {
    const actor = await makeActor(role);
    const a = await page.prepare();
    const out = await settle(() => page.loader({ request: getRequest(a.url, actor.session), params: a.params, context: {} }));
    if (page.who.includes(role)) {
      expect(out.status).toBe(200);
      if (page.id.endsWith("$file")) expect(out.data).toContain("%PDF-1.4");
      else expect(out.data).toBeTypeOf("object");
    } else if (role === "anonymous") {
      expect(out).toMatchObject({ status: 302, location: loginRedirect(a.url) });
    } else {
      expect(out.status).toBe(403);
    }
  });
});
