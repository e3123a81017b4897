import type { CodegenConfig } from "@graphql-codegen/cli";

// Types for your operations from the served schema (introspection needs a token).
const url = process.env.SSW_URL ?? "http://127.0.0.1:8080";
const config: CodegenConfig = {
  schema: {
    [`${url}/graphql`]: { headers: { Authorization: `Bearer ${process.env.SSW_TOKEN}` } },
  },
  documents: ["students.graphql"],
  generates: {
    "generated/graphql.ts": {
      plugins: ["typescript", "typescript-operations"],
      config: {
        // Every custom scalar must be mapped: a new one fails generation until it is.
        strictScalars: true,
        scalars: {
          Date: "string", // "2026-09-01"
          DateTime: "string", // RFC 3339, "2026-09-01T14:03:00Z"
        },
      },
    },
  },
};
export default config;
