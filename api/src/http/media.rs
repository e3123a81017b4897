//! GraphQL over HTTP (<https://graphql.github.io/graphql-over-http/draft/>): the media type an
//! answer is written in, chosen from the request's `Accept`, and the status codes that go with
//! it.

use axum::{
    Json,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

/// The media type of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Media {
    /// `application/graphql-response+json`: the status code tells a request error (4xx) from
    /// an answer (2xx). The default, also for `*/*` and a missing or unsatisfiable `Accept`.
    GraphQLResponse,
    /// `application/json`, for clients that ask for it and not for the former: every answer
    /// to a well-formed request is 200, as such clients expect.
    Json,
}

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

impl Media {
    /// The type the client prefers by `Accept` (quality first, then the most specific range).
    pub fn negotiate(headers: &HeaderMap) -> Self {
        let ranges: Vec<(&str, f32)> = headers
            .get_all(header::ACCEPT)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(media_range)
            .collect();
        if preference(&ranges, JSON) > preference(&ranges, GRAPHQL_RESPONSE) {
            Self::Json
        } else {
            Self::GraphQLResponse
        }
    }

    fn content_type(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Self::GraphQLResponse => "application/graphql-response+json; charset=utf-8",
            Self::Json => "application/json; charset=utf-8",
        })
    }

    /// The status of a GraphQL answer that is a request error (refused before execution, with
    /// no `data`): 400 in `application/graphql-response+json`, 200 in `application/json`.
    pub fn request_error_status(self) -> StatusCode {
        match self {
            Self::GraphQLResponse => StatusCode::BAD_REQUEST,
            Self::Json => StatusCode::OK,
        }
    }

    /// `body` with `status`, in this media type.
    pub fn respond(self, status: StatusCode, body: impl serde::Serialize) -> Response {
        let mut response = (status, Json(body)).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, self.content_type());
        response
    }
}

/// `type/subtype` in lower case and its quality (`q`, 1 when absent).
fn media_range(range: &str) -> (&str, f32) {
    let mut parts = range.split(';').map(str::trim);
    let media = parts.next().unwrap_or_default();
    let quality = parts
        .filter_map(|parameter| parameter.strip_prefix("q="))
        .find_map(|q| q.parse::<f32>().ok())
        .unwrap_or(1.0);
    (media, quality)
}

/// How much the client wants `media`: the quality of the most specific range that matches it,
/// and that specificity (3 exact, 2 `type/*`, 1 `*/*`); zeros when none does.
fn preference(ranges: &[(&str, f32)], media: &str) -> (f32, u8) {
    let kind = media.split('/').next().unwrap_or_default();
    ranges
        .iter()
        .filter_map(|&(range, quality)| {
            let specificity = if range.eq_ignore_ascii_case(media) {
                3
            } else if range
                .strip_suffix("/*")
                .is_some_and(|range| range.eq_ignore_ascii_case(kind))
            {
                2
            } else if range == "*/*" {
                1
            } else {
                return None;
            };
            Some((specificity, quality))
        })
        .max_by_key(|&(specificity, _)| specificity)
        .map_or((0.0, 0), |(specificity, quality)| (quality, specificity))
}

/// Whether a POST body is declared as JSON (`application/json`, in UTF-8 if a charset is
/// given), the one body type GraphQL over HTTP requires and the only one served.
pub fn declares_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
    else {
        return false;
    };
    let mut parts = value.split(';').map(str::trim);
    parts
        .next()
        .is_some_and(|media| media.eq_ignore_ascii_case(JSON))
        && parts.all(|parameter| {
            parameter
                .strip_prefix("charset=")
                .is_none_or(|charset| charset.trim_matches('"').eq_ignore_ascii_case("utf-8"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepting(accept: &[&str]) -> Media {
        let mut headers = HeaderMap::new();
        for value in accept {
            headers.append(header::ACCEPT, HeaderValue::from_str(value).unwrap());
        }
        Media::negotiate(&headers)
    }

    #[test]
    fn the_client_preference_decides() {
        use Media::{GraphQLResponse as G, Json as J};
        for (accept, media) in [
            (&[][..], G),
            (&["*/*"], G),
            (&["application/json"], J),
            (&["application/json, */*"], J),
            (&["application/*"], G),
            (
                &["application/graphql-response+json,application/json;q=0.9"],
                G,
            ),
            (
                &["application/graphql-response+json;q=0.5, application/json"],
                J,
            ),
            (&["text/html"], G),
            (&["application/json;q=0", "*/*"], G),
        ] {
            assert_eq!(accepting(accept), media, "{accept:?}");
        }
    }

    #[test]
    fn only_utf8_json_bodies_are_declared_json() {
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_str(value).unwrap());
            declares_json(&headers)
        };
        assert!(with("application/json"));
        assert!(with("Application/JSON; charset=UTF-8"));
        assert!(!with("application/json; charset=utf-16"));
        assert!(!with("text/plain"));
        assert!(!declares_json(&HeaderMap::new()));
    }
}
