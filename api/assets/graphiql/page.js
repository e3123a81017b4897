// ssw-api's GraphiQL page. Every request needs a token, GraphiQL's own introspection (the docs
// pane and autocomplete) included, so a person pastes it once into the field above the editor:
// it is kept in sessionStorage (gone when the tab closes), sent as `Authorization: Bearer ...`
// with every request, and the bar says which district and role it is. Headers typed into
// GraphiQL's headers pane still apply, over the token.
(function () {
  "use strict";

  var STORAGE_KEY = "ssw-api.token";
  var VIEWER_QUERY = "{ viewer { role districtId } }";
  var DISTRICT_QUERY = "{ district { name } }";
  var DEFAULT_QUERY = [
    "# The token's district and role; then try the Docs button on the left.",
    "{",
    "  viewer { role districtId }",
    "  district { name }",
    "  students(first: 5) {",
    "    totalCount",
    "    edges { cursor node { legalLastName legalFirstName gradeLevel } }",
    "    pageInfo { hasNextPage endCursor }",
    "  }",
    "}",
    ""
  ].join("\n");

  var form = document.getElementById("token-form");
  var input = document.getElementById("token");
  var who = document.getElementById("who");
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  var token = sessionStorage.getItem(STORAGE_KEY) || "";
  // Remounting GraphiQL when the token changes makes it fetch the schema again with it.
  var generation = 0;

  /** Posts one GraphQL request with the token; the pane's headers win over the defaults. */
  function post(body, paneHeaders) {
    var headers = {
      "Content-Type": "application/json",
      Accept: "application/graphql-response+json, application/json"
    };
    if (token) {
      headers.Authorization = "Bearer " + token;
    }
    Object.assign(headers, paneHeaders || {});
    return fetch("/graphql", {
      method: "POST",
      headers: headers,
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json();
    });
  }

  /** GraphiQL's requests; without a token none is sent (each would be refused). */
  function fetcher(params, options) {
    var paneHeaders = (options && options.headers) || {};
    if (!token && !paneHeaders.Authorization) {
      return Promise.resolve({
        errors: [{
          message: "Paste a token in the field above: every request needs one.",
          extensions: { code: "UNAUTHENTICATED" }
        }]
      });
    }
    return post(params, paneHeaders);
  }

  function say(text, refused) {
    who.textContent = text;
    who.className = refused ? "refused" : "";
  }

  /** Asks the API whose token this is: its role, then its district's name (or id). */
  function showWho() {
    if (!token) {
      say("No token yet: paste one to run queries and read the docs.", false);
      return;
    }
    Promise.all([post({ query: VIEWER_QUERY }), post({ query: DISTRICT_QUERY })]).then(function (answers) {
      var viewer = answers[0].data && answers[0].data.viewer;
      if (!viewer) {
        var error = (answers[0].errors || [])[0] || {};
        var code = (error.extensions && error.extensions.code) || "ERROR";
        say("Token refused (" + code + "): " + (error.message || "no answer"), true);
        return;
      }
      var district = answers[1].data ? answers[1].data.district.name : viewer.districtId;
      say("District: " + district + " · role: " + viewer.role, false);
    }, function (failure) {
      say("The API did not answer: " + failure, true);
    });
  }

  function render() {
    generation += 1;
    root.render(React.createElement(GraphiQL, {
      key: generation,
      fetcher: fetcher,
      defaultQuery: DEFAULT_QUERY
    }));
    showWho();
  }

  function use(value) {
    token = value.trim().replace(/^Bearer\s+/i, "");
    if (token) {
      sessionStorage.setItem(STORAGE_KEY, token);
    } else {
      sessionStorage.removeItem(STORAGE_KEY);
    }
    render();
  }

  input.value = token;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    use(input.value);
  });
  document.getElementById("forget").addEventListener("click", function () {
    input.value = "";
    use("");
  });
  render();
})();
