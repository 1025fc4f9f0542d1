import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { expect, test } from "vitest";

// package.json promises the Node versions the site runs on; every installed package must accept all
// of them (an @axe-core/playwright that wants Node ≥ 22.12 cannot come with a promise of Node 20).
const semver = createRequire(import.meta.url)("semver") as { subset(sub: string, dom: string): boolean; validRange(r: string): string | null };

test("every locked package's engines.node accepts every Node version package.json promises", () => {
  const ours: string = JSON.parse(readFileSync("package.json", "utf8")).engines.node;
  const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as { packages: Record<string, { engines?: unknown }> };
  const narrower = Object.entries(lock.packages).flatMap(([path, p]) => {
    const node = p.engines && typeof p.engines === "object" ? (p.engines as { node?: string }).node : undefined;
    if (!path || !node || !semver.validRange(node)) return [];
    return semver.subset(ours, node) ? [] : [`${path.replace(/^node_modules\//, "")} wants node ${node}`];
  });
  expect(narrower).toEqual([]);
});
