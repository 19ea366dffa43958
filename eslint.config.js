// Lint: the recommended rules of ESLint and typescript-eslint; formatting is Prettier's job.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// House rule: never `as` on parsed data. JSON.parse and Response#json give `any`; asserting a type
// on it skips the zod check every boundary needs. `as unknown` (a widening) stays allowed.
const PARSED =
  "Parsed data is unknown until a zod schema says otherwise: parse it with the schema.";
const isJsonParse = (node) =>
  `[${node}.callee.object.name="JSON"][${node}.callee.property.name="parse"]`;
const notUnknown = (ann) => `[${ann}.type!="TSUnknownKeyword"]`;
const parsedDataAssertions = [
  `TSAsExpression${notUnknown("typeAnnotation")}${isJsonParse("expression")}`,
  `TSAsExpression${notUnknown("typeAnnotation")}[expression.callee.property.name="json"]`,
  `TSAsExpression${notUnknown("typeAnnotation")}[expression.type="AwaitExpression"][expression.argument.callee.property.name="json"]`,
  `TSTypeAssertion${notUnknown("typeAnnotation")}${isJsonParse("expression")}`,
  // const x: T = JSON.parse(...) is the same assertion without the keyword.
  `VariableDeclarator${notUnknown("id.typeAnnotation.typeAnnotation")}[id.typeAnnotation]${isJsonParse("init")}`,
].map((selector) => ({ selector, message: PARSED }));

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/dist/**",
      ".tsbuild/**",
      ".cache/**",
      "data/**",
      "frontend/test-results/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: "readonly",
        process: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        Buffer: "readonly",
        URL: "readonly",
        TextDecoder: "readonly",
        TextEncoder: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/no-explicit-any": "error",
      "no-restricted-syntax": ["error", ...parsedDataAssertions],
    },
  },
  {
    // The page's tests and the scripts use the backend through its package entry points
    // (@catalyst/backend, /stream, /stream/fixtures, /testing/*), not by reaching into its folders.
    files: ["frontend/**/*.{ts,tsx}", "scripts/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "(^|/)backend/(src|test)/",
              message: "Import @catalyst/backend (or its /stream, /testing/* entries) instead.",
            },
          ],
        },
      ],
    },
  },
);
