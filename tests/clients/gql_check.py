"""Python gql, as a BI engineer would use it: fetch the schema by introspection from the URL,
page three pages of students by cursor, run a mutation, and read error codes from
`extensions.code`."""

import os

from gql import Client, gql
from gql.transport.exceptions import TransportQueryError
from gql.transport.requests import RequestsHTTPTransport

URL = os.environ["SSW_URL"] + "/graphql"
PAGE = 7
STUDENTS = gql(
    """
    query Students($first: Int!, $after: String) {
      students(first: $first, after: $after, orderBy: { field: LAST_NAME }) {
        totalCount
        edges { cursor node { id legalLastName } }
        pageInfo { hasNextPage endCursor }
      }
    }
    """
)


def client(token):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    transport = RequestsHTTPTransport(url=URL, headers=headers, timeout=30)
    return Client(transport=transport, fetch_schema_from_transport=True)


def code_of(session, request):
    try:
        session.execute(request)
    except TransportQueryError as error:
        return error.errors[0]["extensions"]["code"]
    raise AssertionError("no error")


def main():
    admin = client(os.environ["SSW_ADMIN_TOKEN"])
    with admin as session:
        # The schema came by introspection; gql validates every request against it.
        assert admin.schema is not None and admin.schema.get_type("Student") is not None

        ids, after = [], None
        for _ in range(3):
            STUDENTS.variable_values = {"first": PAGE, "after": after}
            page = session.execute(STUDENTS)["students"]
            assert len(page["edges"]) == PAGE, page
            ids += [edge["node"]["id"] for edge in page["edges"]]
            after = page["pageInfo"]["endCursor"]
            assert page["pageInfo"]["hasNextPage"]
        STUDENTS.variable_values = {"first": 3 * PAGE, "after": None}
        direct = session.execute(STUDENTS)["students"]["edges"]
        assert ids == [edge["node"]["id"] for edge in direct], "three pages make one"

        create = gql(
            """
            mutation ($input: CreateSchoolInput!) {
              createSchool(input: $input) { school { id name } userErrors { code field } }
            }
            """
        )
        create.variable_values = {
            "input": {"name": "gql Check Middle", "lowestGrade": "06", "highestGrade": "08"}
        }
        created = session.execute(create)["createSchool"]
        assert created["userErrors"] == [] and created["school"]["name"] == "gql Check Middle"

        too_many = gql("{ students(first: 501) { totalCount } }")
        assert code_of(session, too_many) == "BAD_USER_INPUT"

    # No token: HTTP 401 with a GraphQL body, read as a query error.
    anonymous = Client(transport=RequestsHTTPTransport(url=URL, timeout=30))
    with anonymous as session:
        assert code_of(session, gql("{ district { name } }")) == "UNAUTHENTICATED"
    print(f"gql: ok ({3 * PAGE} students in three pages, a mutation, two error codes)")


if __name__ == "__main__":
    main()
