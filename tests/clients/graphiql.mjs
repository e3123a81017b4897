// GraphiQL in a real headless Chromium with networking limited to this machine: the page loads
// with no request leaving 127.0.0.1; a refused token says so; a good one shows its district and
// role, runs a query whose answer is shown, fetches the schema for the docs pane and
// autocomplete, and is kept for the session. Any other 4xx answer, script error or console error fails the check.
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const url = process.env.SSW_URL;
const token = process.env.SSW_ADMIN_TOKEN;

const browser = await chromium.launch({
  executablePath: process.env.SSW_CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-background-networking",
    // Any name but 127.0.0.1 fails to resolve, as on a district network with no internet.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
  ],
});
const context = await browser.newContext();
const requests = [];
const problems = [];
let refusalsExpected = true;
context.on("request", (request) => requests.push(request));
context.on("response", (response) => {
  const refusal = refusalsExpected && response.status() === 401;
  if (response.status() >= 400 && !refusal) {
    problems.push(`HTTP ${response.status()}: ${response.url()}`);
  }
});
context.on("requestfailed", (request) =>
  problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`),
);
const page = await context.newPage();
page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
page.on("console", (message) => {
  // Chromium logs each 4xx answer as "Failed to load resource"; those are judged above.
  const refusal = message.text().includes("status of 401");
  if (message.type() === "error" && !(refusalsExpected && refusal)) {
    problems.push(`console: ${message.text()}`);
  }
});

try {
  await page.goto(`${url}/`, { waitUntil: "load" });
  await page.locator(".graphiql-container").waitFor();
  const who = page.locator("#who");
  await expectText(who, "No token yet");

  // A token the server refuses says so (the only answers here allowed to be 4xx).
  await page.fill("#token", "not-a-token");
  await page.press("#token", "Enter");
  await expectText(who, "Token refused (UNAUTHENTICATED)");

  // Paste the token once: the bar asks the API whose it is, GraphiQL fetches the schema with it.
  const schemaFetched = page.waitForResponse(
    (response) =>
      (response.request().postData() ?? "").includes("__schema") &&
      response.request().headers().authorization === `Bearer ${token}`,
  );
  await page.fill("#token", token);
  await page.press("#token", "Enter");
  await expectText(who, "role: DISTRICT_ADMIN");
  const district = await apiDistrictName();
  await expectText(who, `District: ${district}`);
  refusalsExpected = false;

  // Kept for the session: a reload (once the schema has come, so as not to cut it off) still has it.
  await (await schemaFetched).finished();
  await page.reload({ waitUntil: "load" });
  await expectText(who, "role: DISTRICT_ADMIN");
  assert.equal(await page.inputValue("#token"), token);

  // A query runs with it and its answer is shown.
  await page.evaluate((query) => {
    document.querySelector(".graphiql-query-editor .CodeMirror").CodeMirror.setValue(query);
  }, "{ district { name } students(first: 2) { totalCount } }");
  await page.click(".graphiql-execute-button");
  const result = await waitFor(async () => {
    const text = await page.evaluate(
      () => document.querySelector(".result-window .CodeMirror")?.CodeMirror.getValue() ?? "",
    );
    return text.includes("totalCount") ? JSON.parse(text) : null;
  }, "the query's result");
  assert.equal(result.data.district.name, district, JSON.stringify(result));
  assert.ok(result.data.students.totalCount > 0, JSON.stringify(result));

  // The docs pane reads the schema fetched with the token.
  await page.click('[aria-label="Show Documentation Explorer"]');
  const docs = page.locator(".graphiql-doc-explorer");
  await docs.getByText("Query", { exact: true }).first().click();
  await docs.getByText("students", { exact: true }).first().waitFor();
  await docs.getByText("mtssSummary", { exact: true }).first().waitFor();

  // Autocomplete from the same schema: typing part of a field name offers the fields it matches.
  await page.evaluate(() => {
    const editor = document.querySelector(".graphiql-query-editor .CodeMirror").CodeMirror;
    editor.setValue("{ ");
    editor.setCursor(editor.lineCount(), 0);
    editor.focus();
  });
  await page.keyboard.type("stud");
  const hints = await waitFor(async () => {
    const shown = await page.locator(".CodeMirror-hints li").allTextContents();
    return shown.length > 0 ? shown : null;
  }, "autocomplete hints");
  assert.ok(hints.includes("students") && !hints.includes("viewer"), `hints: ${hints}`);

  const introspections = requests.filter((r) => (r.postData() ?? "").includes("__schema"));
  assert.ok(introspections.length > 0, "GraphiQL fetched the schema");
  assert.ok(
    introspections.some((r) => r.headers().authorization === `Bearer ${token}`),
    "the schema was fetched with the token",
  );
} finally {
  await browser.close();
}

// Every request the browser made stayed on this server.
const outside = requests.map((r) => r.url()).filter((u) => new URL(u).origin !== url);
assert.deepEqual(outside, [], "requests that left the server");
assert.deepEqual(problems, [], "errors in the page");
console.log(`graphiql: ok (${requests.length} requests, all to ${url})`);

async function apiDistrictName() {
  const answer = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: "{ district { name } }" }),
  });
  return (await answer.json()).data.district.name;
}

async function expectText(locator, text) {
  await waitFor(async () => (await locator.textContent()).includes(text), `"${text}"`);
}

async function waitFor(probe, what, timeoutMs = 15000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
