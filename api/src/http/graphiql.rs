//! `GET /`: GraphiQL, served whole from the binary, so it works on a district network without
//! internet access. The vendored files (`api/assets/graphiql/`: pinned production builds from
//! the npm registry, see its README) sit under paths naming their version and are cached for a
//! year; the page and its own script and style change with the server and are revalidated.
//! The content security policy lets the page reach this server only.

use axum::{
    Router,
    http::header,
    response::{IntoResponse, Response},
    routing::get,
};

use super::AppState;

/// One file the page loads, at `/assets/graphiql/<file>` (its path under `api/assets/graphiql/`).
struct Asset {
    path: &'static str,
    media: &'static str,
    body: &'static [u8],
    cache: &'static str,
}

/// Vendored files: their path names their version, so they never change in place.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// The page's own files: the browser asks again each time (they are small).
const REVALIDATE: &str = "no-cache";
const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";

macro_rules! asset {
    ($file:literal, $media:expr, $cache:expr) => {
        Asset {
            path: concat!("/assets/graphiql/", $file),
            media: $media,
            body: include_bytes!(concat!("../../assets/graphiql/", $file)),
            cache: $cache,
        }
    };
}

/// The page itself, at `/`.
static PAGE: Asset = Asset {
    path: "/",
    media: "text/html; charset=utf-8",
    body: include_bytes!("../../assets/graphiql/page.html"),
    cache: REVALIDATE,
};

static ASSETS: [Asset; 9] = [
    asset!("react-18.3.1/react.production.min.js", JS, IMMUTABLE),
    asset!("react-18.3.1/LICENSE", TEXT, IMMUTABLE),
    asset!(
        "react-dom-18.3.1/react-dom.production.min.js",
        JS,
        IMMUTABLE
    ),
    asset!("react-dom-18.3.1/LICENSE", TEXT, IMMUTABLE),
    asset!("graphiql-4.1.2/graphiql.min.js", JS, IMMUTABLE),
    asset!("graphiql-4.1.2/graphiql.min.css", CSS, IMMUTABLE),
    asset!("graphiql-4.1.2/LICENSE", TEXT, IMMUTABLE),
    asset!("page.js", JS, REVALIDATE),
    asset!("page.css", CSS, REVALIDATE),
];

/// Scripts, styles and requests from this server only. Styles may also be inline (GraphiQL's
/// components set some), images and fonts `data:` URLs (GraphiQL's stylesheet embeds its fonts).
const POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; \
    base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

impl Asset {
    fn response(&'static self) -> Response {
        (
            [
                (header::CONTENT_TYPE, self.media),
                (header::CACHE_CONTROL, self.cache),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                (header::CONTENT_SECURITY_POLICY, POLICY),
            ],
            self.body,
        )
            .into_response()
    }
}

/// `/` (the page) and every file it loads.
pub fn routes() -> Router<AppState> {
    ASSETS
        .iter()
        .chain([&PAGE])
        .fold(Router::new(), |router, asset| {
            router.route(asset.path, get(move || async move { asset.response() }))
        })
}
