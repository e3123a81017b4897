//! A GraphQL client holding one role's token, and the answer it reads.

use serde_json::{Value, json};

/// Posts GraphQL to the app with one `Authorization` header (or none). Made by `TestApp::as_*`.
#[derive(Clone)]
pub struct Client {
    pub(super) http: reqwest::Client,
    pub(super) endpoint: String,
    pub(super) authorization: Option<String>,
    /// Who this client stands for, in assertion messages (`{client:?}`).
    pub(super) label: String,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label)
    }
}

impl Client {
    /// The `Authorization` header this client sends, for requests made by hand.
    pub fn authorization(&self) -> Option<&str> {
        self.authorization.as_deref()
    }

    /// Runs `query` with `variables`; read the answer with [`Response`]'s helpers.
    pub async fn query(&self, query: &str, variables: Value) -> Response {
        self.post(json!({ "query": query, "variables": variables }).to_string())
            .await
    }

    /// Posts `body` as JSON whatever it holds (`query` is the usual way; this sends broken ones).
    pub async fn post(&self, body: String) -> Response {
        let request = self.http.post(&self.endpoint);
        self.send(request, "application/json", body.into_bytes())
            .await
    }

    /// Posts `body` (`content_type`) to `path_and_query` of the app (`/integrations/...`).
    pub async fn upload(
        &self,
        path_and_query: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Response {
        let base = self.endpoint.trim_end_matches("/graphql");
        let request = self.http.post(format!("{base}{path_and_query}"));
        self.send(request, content_type, body).await
    }

    /// Sends `request` with this client's `Authorization` header, and reads the JSON answer.
    async fn send(
        &self,
        mut request: reqwest::RequestBuilder,
        content_type: &str,
        body: Vec<u8>,
    ) -> Response {
        request = request
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(body);
        if let Some(value) = &self.authorization {
            request = request.header(reqwest::header::AUTHORIZATION, value);
        }
        let response = request.send().await.expect("the server answers");
        Response {
            status: response.status().as_u16(),
            body: response.json().await.unwrap_or(Value::Null),
        }
    }
}

/// A GraphQL answer: the HTTP status and the JSON body.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub body: Value,
}

impl Response {
    /// `data`, asserting HTTP 200 and no errors.
    #[track_caller]
    pub fn data(self) -> Value {
        let body = self.body;
        assert_eq!(self.status, 200, "HTTP status, body: {body}");
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }

    /// The first error's `extensions.code`, asserting there is an error.
    #[track_caller]
    pub fn code(&self) -> String {
        self.body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("expected an error, got {}", self.body))
            .to_string()
    }

    /// Asserts the request was refused as BAD_USER_INPUT with a message containing `words`.
    #[track_caller]
    pub fn assert_bad_user_input(&self, words: &str) {
        let error = &self.body["errors"][0];
        assert_eq!(
            error["extensions"]["code"], "BAD_USER_INPUT",
            "{}",
            self.body
        );
        assert!(
            error["message"]
                .as_str()
                .unwrap_or_default()
                .contains(words),
            "expected {words:?}: {}",
            self.body
        );
    }

    /// Mutation `field`'s payload, asserting it has no user errors.
    #[track_caller]
    pub fn payload(self, field: &str) -> Value {
        let payload = self.data()[field].clone();
        assert_eq!(payload["userErrors"], json!([]), "{field}: {payload}");
        payload
    }

    /// Mutation `field`'s record at `node` when it wrote, or its user errors as `field:CODE`.
    #[track_caller]
    pub fn written(self, field: &str, node: &str) -> Result<Value, Vec<String>> {
        let payload = self.data()[field].clone();
        let errors = codes(field, &payload);
        if errors.is_empty() {
            Ok(payload[node].clone())
        } else {
            Err(errors)
        }
    }

    /// Mutation `field`'s user errors, as `field:CODE` (`-:CODE` without a field).
    #[track_caller]
    pub fn user_errors(self, field: &str) -> Vec<String> {
        codes(field, &self.data()[field])
    }
}

/// A payload's user errors, as `field:CODE` (`-:CODE` without a field).
#[track_caller]
fn codes(field: &str, payload: &Value) -> Vec<String> {
    payload["userErrors"]
        .as_array()
        .unwrap_or_else(|| panic!("{field} has no userErrors: {payload}"))
        .iter()
        .map(|e| {
            format!(
                "{}:{}",
                e["field"].as_str().unwrap_or("-"),
                e["code"].as_str().unwrap_or("-")
            )
        })
        .collect()
}
