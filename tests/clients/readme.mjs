// The README's Apollo cache config, its pagination query and its codegen.ts are these files,
// word for word, so what the README shows is what the other checks run.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const read = (path) => readFileSync(new URL(path, import.meta.url), "utf8");
const readme = read("../../README.md");
for (const file of ["apollo-cache.mjs", "students.graphql", "codegen.ts"]) {
  assert.ok(readme.includes(read(file)), `README.md shows tests/clients/${file} as it is`);
}
console.log("readme: ok");
