// Apollo Client in Node, as a front-end team would use it: introspect the served schema, page
// three pages of students through the cache (README's `relayStylePagination` config, reading
// `edges`), run a mutation, and read error codes from `extensions.code`.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ApolloClient, CombinedGraphQLErrors, HttpLink, gql } from "@apollo/client";
import { buildClientSchema, getIntrospectionQuery } from "graphql";
import { cache } from "./apollo-cache.mjs";

const url = process.env.SSW_URL;
const PAGE = 7;
const STUDENTS = gql(readFileSync(new URL("students.graphql", import.meta.url), "utf8"));

const client = (token) =>
  new ApolloClient({
    link: new HttpLink({
      uri: `${url}/graphql`,
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    }),
    cache: cache(),
  });
const admin = client(process.env.SSW_ADMIN_TOKEN);

// Introspection: graphql-js's standard query, as the tools send it.
const introspection = await admin.query({
  query: gql(getIntrospectionQuery()),
  fetchPolicy: "no-cache",
});
const schema = buildClientSchema(introspection.data);
assert.ok(schema.getQueryType().getFields().students, "Query.students in the served schema");

// Three pages through the cache: the first query, then fetchMore with each end cursor.
const students = admin.watchQuery({ query: STUDENTS, variables: { first: PAGE } });
const subscription = students.subscribe(() => {});
let page = (await students.refetch()).data.students;
for (let fetched = 1; fetched < 3; fetched += 1) {
  assert.ok(page.pageInfo.hasNextPage);
  const more = await students.fetchMore({ variables: { after: page.pageInfo.endCursor } });
  page = more.data.students;
  assert.equal(page.edges.length, PAGE, "each page is a full page");
}
const cached = admin.readQuery({ query: STUDENTS, variables: { first: PAGE } }).students;
subscription.unsubscribe();
const direct = await admin.query({
  query: STUDENTS,
  variables: { first: 3 * PAGE },
  fetchPolicy: "no-cache",
});
const ids = (connection) => connection.edges.map((edge) => edge.node.id);
assert.equal(cached.edges.length, 3 * PAGE, "the cache holds all three pages");
assert.deepEqual(ids(cached), ids(direct.data.students), "in order, as one page of 3 x PAGE");
assert.equal(cached.pageInfo.endCursor, page.pageInfo.endCursor, "the end is the last page's");

// A mutation, and its answer read back through the cache.
const CREATE_SCHOOL = gql`
  mutation CreateSchool($input: CreateSchoolInput!) {
    createSchool(input: $input) {
      school { id name }
      userErrors { field code message }
    }
  }
`;
const created = await admin.mutate({
  mutation: CREATE_SCHOOL,
  variables: { input: { name: "Apollo Check Elementary", lowestGrade: "KG", highestGrade: "05" } },
});
assert.deepEqual(created.data.createSchool.userErrors, []);
const school = created.data.createSchool.school;
const read = await admin.query({
  query: gql`query School($id: ID!) { node(id: $id) { id ... on School { name } } }`,
  variables: { id: school.id },
});
assert.equal(read.data.node.name, "Apollo Check Elementary");

// Error codes: a page too large, and no token (HTTP 401 with a GraphQL body).
assert.equal(await codeOf(admin, { first: 501 }), "BAD_USER_INPUT");
assert.equal(await codeOf(client(null), { first: 1 }), "UNAUTHENTICATED");

console.log(`apollo: ok (${3 * PAGE} students in three pages through the cache, a mutation, two error codes)`);

async function codeOf(someone, variables) {
  try {
    await someone.query({ query: STUDENTS, variables, fetchPolicy: "no-cache" });
  } catch (error) {
    assert.ok(CombinedGraphQLErrors.is(error), `a GraphQL error, not ${error}`);
    return error.errors[0].extensions.code;
  }
  assert.fail(`no error for ${JSON.stringify(variables)}`);
}
