// graphql-http's audit of the GraphQL over HTTP spec against /graphql, with a token. Fails on
// any failing audit and on any warning but the two below (the README says why they remain).
import { serverAudits } from "graphql-http";

const url = `${process.env.SSW_URL}/graphql`;
const authorization = `Bearer ${process.env.SSW_ADMIN_TOKEN}`;
const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers);
  headers.set("Authorization", authorization);
  return fetch(input, { ...init, headers });
};

// The spec's current draft: from 1 January 2025 a request with no Accept header (or `*/*`) is
// answered as application/graphql-response+json; graphql-http's audit still checks the
// behaviour from before that date (application/json).
const EXPECTED_WARNINGS = new Set(["47DE", "80D8"]);

const results = await Promise.all(
  serverAudits({ url, fetchFn }).map(async (audit) => ({ audit, result: await audit.fn() })),
);
const counts = { ok: 0, warn: 0, error: 0 };
let failures = 0;
for (const { audit, result } of results) {
  counts[result.status] += 1;
  if (result.status !== "ok") {
    const expected = result.status === "warn" && EXPECTED_WARNINGS.has(audit.id);
    if (!expected) failures += 1;
    const label = `${result.status.toUpperCase()}${expected ? " (expected)" : ""}`;
    console.log(`${label} ${audit.id} ${audit.name}: ${result.reason}`);
  }
}
console.log(`graphql-http audit: ${counts.ok} ok, ${counts.warn} warnings, ${counts.error} errors`);
if (failures > 0) process.exit(1);
