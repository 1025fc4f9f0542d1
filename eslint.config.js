// Lint: the house's import boundaries (STYLE.md) and a few rules that catch real mistakes.
// `npm run lint` runs it; the test command runs it first.
import importX from "eslint-plugin-import-x";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import tseslint from "typescript-eslint";

const serverOnly = ["**/*.server", "**/*.server.*", "~/utils/db.server*"];

export default tseslint.config(
  { ignores: ["build/**", "public/build/**", "app/generated/**", "node_modules/**", "tests/.tmp/**", ".cache/**", "coverage/**"] },
  {
    files: ["**/*.{ts,tsx,js,mjs}"],
    extends: [tseslint.configs.recommended],
    plugins: { "import-x": importX },
    settings: { "import-x/resolver-next": [createTypeScriptImportResolver({ project: "tsconfig.json" })] },
    rules: {
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      "import-x/no-self-import": "error",
      "@typescript-eslint/no-unused-expressions": ["error", { allowShortCircuit: true, allowTernary: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    // routes parse, call a model, render: the database is reached through app/models only
    files: ["app/routes/**", "app/root.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [{ group: ["~/utils/db.server", "**/db.server"], message: "routes reach the database through a model in app/models" }],
          // JSON list columns are decoded once, in the model that reads them (withLists)
          paths: [{ name: "~/utils/json", importNames: ["parseList"], message: "models hand routes decoded lists (withLists in app/utils/json.ts)" }],
        },
      ],
    },
  },
  {
    // components run in the browser too
    files: ["app/components/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: serverOnly, message: "components run in the browser: no server modules" }] }],
    },
  },
  {
    // search/ is a library: what it needs from the app is passed in
    // (the database client's type may be named: it is erased at run time, and it is the handle passed in)
    files: ["search/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        { patterns: [{ group: ["~/*", "../app/*", "../../app/*"], message: "search/ never imports the app; pass what it needs in", allowTypeImports: true }] },
      ],
    },
  },
);
