import { db } from "~/utils/db.server";
import { markdownToLexical } from "~/lexical/markdown.server";
import { markReadFor } from "./notification.server";
import { acceptDispatch, confirmDelivery, declineDispatch, dispatchNeed, postNeed, recordDelivery, withdrawNeed, type NeedActor, type StepOutcome } from "./need-loop.server";

// Demo needs in every state of the 点单 → 配送 → 送技 loop, posted by the demo enterprise contact
// and moved along by the demo coordinator and studio admins through the loop's own model, so a
// newcomer sees the whole loop at once. Marked illustrative (示例).

const DEMO_NEEDS = [
  {
    title: "轴承保持架冲压模具寿命提升",
    tags: "模具设计，冲压工艺，表面处理",
    stop: "draft",
    text: "保持架冲压模具平均寿命只有8万次，换模停机频繁。希望分析失效原因，提出选材和表面强化方案。",
  },
  {
    title: "磨削车间能耗在线监测",
    tags: "能耗监测，物联网平台，数据分析",
    stop: "open",
    text: "磨削车间有42台磨床，电耗只按月抄表，看不出哪台设备、哪个班次耗电多。希望建立在线监测和分析看板。",
  },
  {
    title: "热处理炉温度均匀性巡检",
    tags: "智能巡检，温度监测",
    stop: "dispatched",
    text: "网带式热处理炉的炉温均匀性每季度人工测一次，数据滞后。希望用巡检装置或在线测温替代人工测量。",
  },
  {
    title: "配电房无人值守改造咨询",
    tags: "配电房巡检，带电检测，智能巡检",
    stop: "accepted",
    text: "厂区两座10kV配电房仍靠人工每日巡视。希望评估无人值守改造方案，包括巡检机器人和带电检测。",
  },
  {
    title: "变频器谐波治理现场诊断",
    tags: "电能质量，谐波治理，故障诊断",
    stop: "delivered",
    text: "新上的变频磨床投运后，车间配电柜电容器多次过热。希望到现场测量谐波、给出治理建议。",
  },
  {
    title: "新员工安全操作培训课件",
    tags: "仿真培训，安全培训",
    stop: "closed",
    text: "每年新入职员工约60人，安全操作培训靠师傅带，效果参差。希望借鉴仿真培训的做法，做一套磨床安全操作课件。",
  },
  { title: "成品库AGV搬运可行性评估", tags: "AGV，智慧物流", stop: "withdrawn", text: "成品库出入库靠叉车，想了解AGV搬运是否可行。企业已决定明年再议，先撤回。" },
] as const;

function lexical(markdown: string): string {
  const r = markdownToLexical(markdown);
  if (!r.ok) throw new Error(r.message);
  return r.json;
}

const ORDER = ["draft", "open", "dispatched", "accepted", "delivered", "closed"] as const;

async function actor(email: string): Promise<NeedActor | null> {
  const u = await db.user.findUnique({ where: { email }, include: { memberships: true } });
  return u ? { id: u.id, role: u.role, memberships: u.memberships } : null;
}

function form(fields: Record<string, string | string[]>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) f.append(k, x);
  return f;
}

const must = (o: StepOutcome, what: string) => {
  if (!o.ok) throw new Error(`demo need "${what}": ${JSON.stringify(o.errors)}`);
};

/** Creates the demo needs once (when the demo enterprise contact has posted none). Returns how many. */
export async function ensureDemoNeeds(): Promise<number> {
  const [enterprise, coordinator, grid, signal] = await Promise.all([
    actor("enterprise@demo.example"),
    actor("coordinator@demo.example"),
    actor("grid-admin@demo.example"),
    actor("signal-admin@demo.example"),
  ]);
  if (!enterprise || !coordinator || !grid || !signal) return 0;
  if (await db.need.count({ where: { createdById: enterprise.id } })) return 0;
  const version = async (slug: string) => String((await db.need.findUniqueOrThrow({ where: { slug } })).version);
  const person = async (studio: string) => (await db.person.findMany({ where: { studio: { slug: studio } }, take: 2, orderBy: { sortOrder: "asc" } })).map((p) => p.id);
  const slugs: string[] = [];
  for (const n of DEMO_NEEDS) {
    const posted = await postNeed(
      enterprise,
      form({
        title: n.title,
        industry: "equipment-manufacturing",
        tags: n.tags,
        district: "高新区",
        timeframe: "三个月内",
        contactName: "何部长",
        contactPhone: "0371-6000 0000",
        visibility: "public",
        intent: n.stop === "draft" ? "draft" : "submit",
        body: lexical(`${n.text}\n\n本需求为平台演示用的示例内容，企业和数据均为虚构。`),
      }),
      undefined,
      { illustrative: true },
    );
    must(posted, n.title);
    if (!posted.ok) continue;
    const slug = posted.slug;
    slugs.push(slug);
    const reach = n.stop === "withdrawn" ? 1 : ORDER.indexOf(n.stop as (typeof ORDER)[number]);
    if (reach >= 2) {
      must(await dispatchNeed(coordinator, slug, form({ studios: ["distribution-live-line", "metro-signal"], note: "请评估后答复", version: await version(slug) })), n.title);
      if (reach >= 3) {
        must(await declineDispatch(signal, slug, form({ studio: "metro-signal", reason: "专业方向不对口，建议由电力工作室承接", version: await version(slug) })), n.title);
        must(
          await acceptDispatch(
            grid,
            slug,
            form({ studio: "distribution-live-line", visitDate: "2026-12-15", people: await person("distribution-live-line"), version: await version(slug) }),
          ),
          n.title,
        );
      }
      if (reach >= 4) {
        must(
          await recordDelivery(
            grid,
            slug,
            form({
              studio: "distribution-live-line",
              date: "2026-12-15",
              people: await person("distribution-live-line"),
              hours: "6",
              work: "现场测量并分析，讲解方案",
              outcome: "给出书面建议和改造清单",
              version: await version(slug),
            }),
          ),
          n.title,
        );
      }
      if (reach >= 5) must(await confirmDelivery(enterprise, slug, form({ rating: "5", comment: "来得快，讲得透，方案可落地", version: await version(slug) })), n.title);
    }
    if (n.stop === "withdrawn") must(await withdrawNeed(enterprise, slug, form({ version: await version(slug) })), n.title);
  }
  // the demo's steps happened before anyone arrived: history in the timelines, not news in the inboxes
  await markReadFor(slugs.map((slug) => `/needs/${slug}`));
  return DEMO_NEEDS.length;
}
