import { describe, expect, test, vi } from "vitest";

// Counts every argon2 verification the login makes (the real ones and the dummy one that hides
// whether an account exists), to show that a burst of parallel guesses cannot outrun the limit.
const verifications = vi.hoisted(() => ({ n: 0 }));
vi.mock("~/utils/password.server", async (importOriginal) => {
  const real = await importOriginal<typeof import("~/utils/password.server")>();
  return {
    ...real,
    verifyPassword: (hash: string, password: string) => (verifications.n++, real.verifyPassword(hash, password)),
    burnVerifyTime: (password: string) => (verifications.n++, real.burnVerifyTime(password)),
  };
});

const login = await import("~/routes/login");
const { LIMITS } = await import("~/utils/auth.server");
const { db } = await import("~/utils/db.server");
const { actionArgs, createUser, PASSWORD, postRequest, settle } = await import("../setup/auth");

const attempt = (email: string, password: string, address: string) =>
  postRequest("/login", { email, password, redirectTo: "/account" }).then((r) => settle(() => login.action(actionArgs(r, {}, { clientAddress: address }))));

describe("a burst of parallel wrong passwords", () => {
  test(`200 at once for one account from one address: at most ${LIMITS.pair} reach argon2, the rest are refused as rate-limited`, async () => {
    const user = await createUser();
    verifications.n = 0;
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => attempt(user.email, `wrong-password-${i}`, "192.0.2.10")));
    const statuses = results.map((r) => r.status);
    expect(verifications.n).toBeLessThanOrEqual(LIMITS.pair);
    expect(statuses.filter((s) => s === 400).length).toBe(verifications.n);
    expect(statuses.filter((s) => s === 429).length).toBe(200 - verifications.n);
    expect(statuses.every((s) => s === 400 || s === 429)).toBe(true);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
    // and the right password from there is refused too, without being checked
    verifications.n = 0;
    expect((await attempt(user.email, PASSWORD, "192.0.2.10")).status).toBe(429);
    expect(verifications.n).toBe(0);
  });

  test("meanwhile the owner, from their own address, signs in at the first try", async () => {
    const user = await createUser();
    await Promise.all(Array.from({ length: 60 }, (_, i) => attempt(user.email, `wrong-password-${i}`, "192.0.2.20")));
    const owner = await attempt(user.email, PASSWORD, "198.51.100.7");
    expect(owner).toMatchObject({ status: 302, location: "/account" });
    expect(owner.headers.get("Set-Cookie")).toMatch(/^__session=/);
  });

  test(`guesses spread over many accounts from one address stop at ${LIMITS.address} verifications`, async () => {
    verifications.n = 0;
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => attempt(`guess-${i}@example.cn`, "guessed-password-1", "192.0.2.30")));
    expect(verifications.n).toBeLessThanOrEqual(LIMITS.address);
    expect(results.filter((r) => r.status === 429).length).toBe(100 - verifications.n);
  });
});
