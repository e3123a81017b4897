import { InMemoryCache } from "@apollo/client";
import { relayStylePagination } from "@apollo/client/utilities";

// One cached list per filter and order; pages fetched with `after` are merged by cursor.
// Add a line for each other list you page through (`schools: relayStylePagination(["filter"])`).
export const cache = () =>
  new InMemoryCache({
    typePolicies: {
      Query: {
        fields: {
          students: relayStylePagination(["filter", "orderBy"]),
        },
      },
    },
  });
