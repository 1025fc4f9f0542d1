import { beforeAll, describe, expect, test } from "vitest";
import { importContent } from "~/models/content-import.server";
import {
  acceptDispatch,
  confirmDelivery,
  declineDispatch,
  dispatchNeed,
  editNeed,
  isOverdue,
  needAccess,
  needTimeline,
  postNeed,
  recordDelivery,
  withdrawNeed,
  type NeedActor,
  type StepOutcome,
} from "~/models/need-loop.server";
import { db } from "~/utils/db.server";
import { body } from "../fixtures/editing";
import { createUser, unique } from "../setup/auth";

// The 点单 → 配送 → 送技 loop through its model: every step is one transition, taken only by the
// one who may take it, only from the status it starts from; a refused step changes nothing.

const BEARING = "郑州博远轴承有限公司";
let enterprise: NeedActor,
  otherEnterprise: NeedActor,
  coordinator: NeedActor,
  coordinator2: NeedActor,
  gridAdmin: NeedActor,
  gasAdmin: NeedActor,
  signalAdmin: NeedActor,
  gridMember: NeedActor,
  stranger: NeedActor;

async function actorFor(o: Parameters<typeof createUser>[0], enterpriseName?: string): Promise<NeedActor> {
  const u = await createUser(o);
  if (enterpriseName) {
    const e = await db.enterprise.findUniqueOrThrow({ where: { name: enterpriseName } });
    await db.enterpriseContact.create({ data: { userId: u.id, enterpriseId: e.id, status: "confirmed" } });
  }
  const full = await db.user.findUniqueOrThrow({ where: { id: u.id }, include: { memberships: true } });
  return { id: full.id, role: full.role, memberships: full.memberships };
}

const form = (fields: Record<string, string | string[]>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) f.append(k, x);
  return f;
};
const needFields = (o: Record<string, string> = {}) => ({
  title: `轴承套圈磨削烧伤在线检测${unique()}`,
  industry: "equipment-manufacturing",
  tags: "机器视觉，无损检测",
  district: "高新区",
  timeframe: "三个月内",
  contactName: "何部长",
  contactPhone: "0371-6688 1234",
  visibility: "public",
  intent: "submit",
  body: body("套圈磨削后的烧伤靠人工目检，漏检多。希望有工作室帮助评估在线检测方案。"),
  ...o,
});
const ok = (o: StepOutcome) => {
  if (!o.ok) throw new Error(`refused: ${o.status} ${JSON.stringify(o.errors)}`);
  return o.slug;
};
const need = (slug: string) => db.need.findUniqueOrThrow({ where: { slug }, include: { dispatches: { include: { studio: true } } } });
const version = async (slug: string) => String((await need(slug)).version);
const personOf = async (studio: string) => (await db.person.findFirstOrThrow({ where: { studio: { slug: studio } } })).id;

/** Everything a step can write, compared before and after a refused one. */
async function snapshot(slug: string) {
  const n = await db.need.findUniqueOrThrow({ where: { slug } });
  return {
    need: { status: n.status, version: n.version, rating: n.rating, title: n.title },
    dispatches: await db.needDispatch.findMany({ where: { needId: n.id }, select: { studioId: true, state: true, declineReason: true }, orderBy: { studioId: "asc" } }),
    deliveries: await db.delivery.count({ where: { needId: n.id } }),
    events: await db.needEvent.count({ where: { needId: n.id } }),
    activities: await db.activity.count(),
    notifications: await db.notification.count(),
  };
}
async function refused(slug: string, run: () => Promise<StepOutcome>, status: number, key?: string) {
  const before = await snapshot(slug);
  const out = await run();
  expect(out.ok).toBe(false);
  if (!out.ok) {
    expect(out.status).toBe(status);
    if (key) expect(Object.values(out.errors)).toContain(key);
  }
  expect(await snapshot(slug)).toEqual(before);
}

beforeAll(async () => {
  const report = await importContent(db, "content");
  if (!report.ok) throw new Error(JSON.stringify(report.problems));
  enterprise = await actorFor({ name: "何部长" }, BEARING);
  otherEnterprise = await actorFor({ name: "别家企业" }, "郑州宏达客车制造有限公司");
  coordinator = await actorFor({ role: "coordinator", name: "王协调" });
  coordinator2 = await actorFor({ role: "coordinator", name: "李协调" });
  gridAdmin = await actorFor({ studio: "distribution-live-line", studioRole: "admin", name: "马国强" });
  gridMember = await actorFor({ studio: "distribution-live-line", studioRole: "member", name: "配网成员" });
  gasAdmin = await actorFor({ studio: "zhongzhou-gas-pipeline", studioRole: "admin", name: "燃气管理员" });
  signalAdmin = await actorFor({ studio: "metro-signal", studioRole: "admin", name: "信号管理员" });
  stranger = await actorFor({ name: "路人" });
});

describe("the whole loop", () => {
  test("posted → dispatched to two → one declines, one accepts → delivered → confirmed and rated → closed, with a complete timeline", async () => {
    const slug = ok(await postNeed(enterprise, form(needFields())));
    expect((await need(slug)).status).toBe("open");

    ok(await dispatchNeed(coordinator, slug, form({ studios: ["distribution-live-line", "zhongzhou-gas-pipeline"], note: "请两家评估", version: await version(slug) })));
    expect((await need(slug)).status).toBe("dispatched");

    ok(await declineDispatch(gasAdmin, slug, form({ studio: "zhongzhou-gas-pipeline", reason: "本季度人手不足", version: await version(slug) })));
    expect((await need(slug)).status).toBe("dispatched"); // the grid studio still has it

    const person = await personOf("distribution-live-line");
    ok(await acceptDispatch(gridAdmin, slug, form({ studio: "distribution-live-line", visitDate: "2026-12-20", people: [person], version: await version(slug) })));
    expect((await need(slug)).status).toBe("accepted");

    ok(
      await recordDelivery(
        gridAdmin,
        slug,
        form({
          studio: "distribution-live-line",
          date: "2026-12-20",
          people: [person],
          hours: "6",
          work: "现场评估光源与相机方案",
          outcome: "给出样机方案",
          version: await version(slug),
        }),
      ),
    );
    expect((await need(slug)).status).toBe("delivered");

    ok(await confirmDelivery(enterprise, slug, form({ rating: "5", comment: "方案实用", version: await version(slug) })));
    const closed = await need(slug);
    expect(closed).toMatchObject({ status: "closed", rating: 5, ratingComment: "方案实用" });

    const timeline = await needTimeline(closed.id);
    expect(timeline.map((e) => [e.step, e.to])).toEqual([
      ["submit", "open"],
      ["dispatch", "dispatched"],
      ["decline", "dispatched"],
      ["accept", "accepted"],
      ["deliver", "delivered"],
      ["confirm", "closed"],
    ]);
    expect(timeline.map((e) => e.actor)).toEqual(["何部长", "王协调", "燃气管理员", "马国强", "马国强", "何部长"]);
    expect(timeline[2].detail).toMatchObject({ reason: "本季度人手不足" });
    expect(await db.activity.count({ where: { subjectId: closed.id, verb: { startsWith: "need." } } })).toBe(6);
  });

  test("each step tells the right people in their inbox", async () => {
    const slug = ok(await postNeed(enterprise, form(needFields())));
    const inbox = (a: NeedActor) => db.notification.count({ where: { userId: a.id, url: `/needs/${slug}` } });
    expect(await inbox(coordinator)).toBe(1); // submitted
    ok(await dispatchNeed(coordinator, slug, form({ studios: ["distribution-live-line"], version: await version(slug) })));
    expect(await inbox(gridAdmin)).toBe(1);
    expect(await inbox(gasAdmin)).toBe(0);
    ok(
      await acceptDispatch(
        gridAdmin,
        slug,
        form({ studio: "distribution-live-line", visitDate: "2026-12-21", people: [await personOf("distribution-live-line")], version: await version(slug) }),
      ),
    );
    expect(await inbox(enterprise)).toBe(1);
  });
});

describe("impossible transitions change nothing", () => {
  test("rating before delivery, accepting a withdrawn need, delivering what was not accepted", async () => {
    const slug = ok(await postNeed(enterprise, form(needFields())));
    await refused(slug, async () => confirmDelivery(enterprise, slug, form({ rating: "5", version: await version(slug) })), 409, "need.error.from.open");
    ok(await dispatchNeed(coordinator, slug, form({ studios: ["distribution-live-line"], version: await version(slug) })));
    await refused(
      slug,
      async () =>
        recordDelivery(
          gridAdmin,
          slug,
          form({
            studio: "distribution-live-line",
            date: "2026-12-20",
            people: [await personOf("distribution-live-line")],
            hours: "2",
            work: "x",
            outcome: "y",
            version: await version(slug),
          }),
        ),
      409,
      "need.error.from.dispatched",
    );
    ok(await withdrawNeed(enterprise, slug, form({ version: await version(slug) })));
    await refused(
      slug,
      async () =>
        acceptDispatch(
          gridAdmin,
          slug,
          form({ studio: "distribution-live-line", visitDate: "2026-12-20", people: [await personOf("distribution-live-line")], version: await version(slug) }),
        ),
      409,
      "need.error.from.withdrawn",
    );
  });

  test("two coordinators dispatching the same need at once: one wins, the other is told it changed", async () => {
    const slug = ok(await postNeed(enterprise, form(needFields())));
    const v = await version(slug);
    const [a, b] = await Promise.all([
      dispatchNeed(coordinator, slug, form({ studios: ["distribution-live-line"], version: v })),
      dispatchNeed(coordinator2, slug, form({ studios: ["zhongzhou-gas-pipeline"], version: v })),
    ]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    const loser = a.ok ? b : a;
    expect(!loser.ok && loser.status).toBe(409);
    expect(!loser.ok && loser.errors._form).toBe("need.error.stale");
    expect((await need(slug)).dispatches).toHaveLength(1);
  });

  test("a need cannot be dispatched to its own enterprise's studio, nor twice to the same studio", async () => {
    const slug = ok(await postNeed(otherEnterprise, form(needFields({ industry: "automotive" }))));
    await refused(slug, async () => dispatchNeed(coordinator, slug, form({ studios: ["hongda-body-welding"], version: await version(slug) })), 409, "need.dispatch.sameEnterprise");
    ok(await dispatchNeed(coordinator, slug, form({ studios: ["distribution-live-line"], version: await version(slug) })));
    await refused(slug, async () => dispatchNeed(coordinator, slug, form({ studios: ["distribution-live-line"], version: await version(slug) })), 409, "need.dispatch.already");
  });

  test("when every studio declines, the need goes back to the coordinators, who can dispatch again", async () => {
    const slug = ok(await postNeed(enterprise, form(needFields())));
    ok(await dispatchNeed(coordinator, slug, form({ studios: ["zhongzhou-gas-pipeline"], version: await version(slug) })));
    ok(await declineDispatch(gasAdmin, slug, form({ studio: "zhongzhou-gas-pipeline", reason: "不在我们的专业范围", version: await version(slug) })));
    expect((await need(slug)).status).toBe("open");
    ok(await dispatchNeed(coordinator, slug, form({ studios: ["zhongzhou-gas-pipeline", "distribution-live-line"], version: await version(slug) })));
    expect((await need(slug)).dispatches.map((d) => d.state).sort()).toEqual(["dispatched", "dispatched"]);
  });
});

describe("who may take each step", () => {
  test("an enterprise contact cannot dispatch; a studio admin cannot accept for another studio; a member cannot accept; nobody but the requester rates", async () => {
    const slug = ok(await postNeed(enterprise, form(needFields())));
    await refused(slug, async () => dispatchNeed(enterprise, slug, form({ studios: ["distribution-live-line"], version: await version(slug) })), 403, "need.error.notCoordinator");
    ok(await dispatchNeed(coordinator, slug, form({ studios: ["distribution-live-line"], version: await version(slug) })));
    const accept = (who: NeedActor) => async () =>
      acceptDispatch(
        who,
        slug,
        form({ studio: "distribution-live-line", visitDate: "2026-12-20", people: [await personOf("distribution-live-line")], version: await version(slug) }),
      );
    await refused(slug, accept(signalAdmin), 403, "need.error.notStudioAdmin");
    await refused(slug, accept(gridMember), 403, "need.error.notStudioAdmin");
    await refused(
      slug,
      async () =>
        acceptDispatch(
          gasAdmin,
          slug,
          form({ studio: "zhongzhou-gas-pipeline", visitDate: "2026-12-20", people: [await personOf("zhongzhou-gas-pipeline")], version: await version(slug) }),
        ),
      404,
      "need.error.notDispatched",
    );
    ok(await accept(gridAdmin)());
    // people from another studio's talent base cannot be sent
    ok(
      await recordDelivery(
        gridAdmin,
        slug,
        form({
          studio: "distribution-live-line",
          date: "2026-12-22",
          people: [await personOf("distribution-live-line")],
          hours: "3",
          work: "现场",
          outcome: "完成",
          version: await version(slug),
        }),
      ),
    );
    for (const who of [coordinator, gridAdmin, otherEnterprise, stranger]) {
      await refused(slug, async () => confirmDelivery(who, slug, form({ rating: "4", version: await version(slug) })), 403, "need.error.notRequester");
    }
    ok(await confirmDelivery(enterprise, slug, form({ rating: "4", version: await version(slug) })));
  });

  test("accepting with people who are not the studio's own is refused", async () => {
    const slug = ok(await postNeed(enterprise, form(needFields())));
    ok(await dispatchNeed(coordinator, slug, form({ studios: ["distribution-live-line"], version: await version(slug) })));
    await refused(
      slug,
      async () =>
        acceptDispatch(
          gridAdmin,
          slug,
          form({ studio: "distribution-live-line", visitDate: "2026-12-20", people: [await personOf("zhongzhou-gas-pipeline")], version: await version(slug) }),
        ),
      409,
      "need.accept.notOurPeople",
    );
  });

  test("a user who is no enterprise's confirmed contact cannot post; a pending contact cannot either", async () => {
    const out = await postNeed(stranger, form(needFields()));
    expect(out).toMatchObject({ ok: false, status: 403, errors: { _form: "need.error.noEnterprise" } });
    const pending = await actorFor({ name: "待确认联系人" });
    await db.enterpriseContact.create({ data: { userId: pending.id, proposedName: "新开张的公司", status: "pending" } });
    expect(await postNeed(pending, form(needFields()))).toMatchObject({ ok: false, status: 403 });
  });
});

describe("drafts, edits, visibility", () => {
  test("a draft is the requester's alone; editing stops at dispatch; bad input comes back with the typed values", async () => {
    const slug = ok(await postNeed(enterprise, form(needFields({ intent: "draft" }))));
    const n = await need(slug);
    expect(n.status).toBe("draft");
    expect(await needAccess(enterprise, n)).toBe("full");
    expect(await needAccess(coordinator, n)).toBe("none");
    expect(await needAccess(null, n)).toBe("none");
    const bad = await editNeed(enterprise, slug, form(needFields({ title: "", contactPhone: "打电话", version: await version(slug) })));
    expect(bad).toMatchObject({ ok: false, status: 400, errors: { title: "form.required", contactPhone: "need.form.phone" }, values: { contactPhone: "打电话" } });
    ok(await editNeed(enterprise, slug, form(needFields({ title: "改过的标题", intent: "submit", version: await version(slug) }))));
    expect(await need(slug)).toMatchObject({ status: "open", title: "改过的标题" });
    expect(await needAccess(null, await need(slug))).toBe("public");
    ok(await dispatchNeed(coordinator, slug, form({ studios: ["distribution-live-line"], version: await version(slug) })));
    await refused(slug, async () => editNeed(enterprise, slug, form(needFields({ title: "晚了", version: await version(slug) }))), 409, "need.error.from.dispatched");
  });

  test("a union-only need is seen by coordinators, the requester and the studios it went to — not by others", async () => {
    const slug = ok(await postNeed(enterprise, form(needFields({ visibility: "union" }))));
    ok(await dispatchNeed(coordinator, slug, form({ studios: ["distribution-live-line"], version: await version(slug) })));
    const n = await need(slug);
    expect(await needAccess(null, n)).toBe("none");
    expect(await needAccess(stranger, n)).toBe("none");
    expect(await needAccess(signalAdmin, n)).toBe("none");
    expect(await needAccess(gridMember, n)).toBe("full");
    expect(await needAccess(coordinator, n)).toBe("full");
    const doc = await db.searchDoc.findUnique({ where: { id: `need:${slug}` } });
    expect(doc).toBeNull();
  });

  test("a need waiting more than seven days at a step is overdue", () => {
    const now = new Date("2026-12-10T00:00:00Z");
    expect(isOverdue({ status: "dispatched", statusAt: new Date("2026-12-02T00:00:00Z") }, now)).toBe(true);
    expect(isOverdue({ status: "dispatched", statusAt: new Date("2026-12-04T00:00:00Z") }, now)).toBe(false);
    expect(isOverdue({ status: "closed", statusAt: new Date("2026-11-01T00:00:00Z") }, now)).toBe(false);
  });
});
