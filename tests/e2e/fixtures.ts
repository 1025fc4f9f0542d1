import { test as base, expect } from "@playwright/test";

// The end-to-end `test`: an unexpected console.error or uncaught page error fails the test
// (STYLE.md). A test that expects some (a 404 page logs its failed document load) lists them.
export const test = base.extend<{ allowedConsoleErrors: RegExp[]; failOnConsoleError: void }>({
  allowedConsoleErrors: [[], { option: true }],
  failOnConsoleError: [
    async ({ page, allowedConsoleErrors }, use) => {
      const errors: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error" && !allowedConsoleErrors.some((re) => re.test(m.text()))) errors.push(m.text());
      });
      page.on("pageerror", (e) => errors.push(`uncaught: ${e.message}`));
      await use();
      expect(errors, "unexpected console errors").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** The 404 document load shows up in the console as a failed resource. */
export const NOT_FOUND_CONSOLE = [/status of 404/];
