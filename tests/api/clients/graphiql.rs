//! The GraphiQL page works offline: everything it loads comes from this server, pinned
//! production builds under versioned paths cached for a year, and its policy lets it reach
//! nothing else. (`tests/clients/graphiql.mjs` runs it in a headless Chromium.)

use reqwest::header;

use crate::helpers::{Backend, TestApp, on_both_backends};

/// The URLs in `attribute="..."` attributes of `html`.
fn attribute_values<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
    let opening = format!(" {attribute}=\"");
    html.split(opening.as_str())
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

fn header_of(response: &reqwest::Response, name: header::HeaderName) -> String {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// No outside address in `text` (a page, script or stylesheet of ours).
fn assert_no_outside_url(what: &str, text: &str) {
    for outside in ["http://", "https://", "\"//", "'//", "(//"] {
        assert!(
            !text.contains(outside),
            "{what} names an outside URL ({outside})"
        );
    }
}

async fn graphiql_loads_only_pinned_files_from_this_server(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let page = app.get("/").await;
    assert_eq!(page.status(), 200);
    assert!(header_of(&page, header::CONTENT_TYPE).starts_with("text/html"));
    let policy = header_of(&page, header::CONTENT_SECURITY_POLICY);
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "connect-src 'self'",
    ] {
        assert!(policy.contains(directive), "{policy}");
    }
    let html = page.text().await.unwrap();
    assert_no_outside_url("the page", &html);

    let scripts = attribute_values(&html, "src");
    for wanted in [
        "/react.production.min.js",
        "/react-dom.production.min.js",
        "/graphiql.min.js",
    ] {
        assert!(
            scripts.iter().any(|src| src.ends_with(wanted)),
            "{wanted} in {scripts:?}"
        );
    }
    let links = attribute_values(&html, "href");
    // `data:` URLs (the empty icon) are no request at all.
    let files = scripts
        .into_iter()
        .chain(links.into_iter().filter(|href| !href.starts_with("data:")));
    for path in files {
        assert!(path.starts_with('/') && !path.starts_with("//"), "{path}");
        let file = app.get(path).await;
        assert_eq!(file.status(), 200, "{path}");
        let media = header_of(&file, header::CONTENT_TYPE);
        let expected = match path.rsplit('.').next() {
            Some("js") => "text/javascript",
            Some("css") => "text/css",
            _ => "text/plain",
        };
        assert!(media.starts_with(expected), "{path}: {media}");
        let cache = header_of(&file, header::CACHE_CONTROL);
        // A vendored file's folder names its version (`react-18.3.1/`): it never changes there.
        let versioned = path
            .split('/')
            .any(|part| part.contains("-") && part.contains('.'));
        if versioned {
            assert!(
                cache.contains("max-age=31536000") && cache.contains("immutable"),
                "{path}: {cache}"
            );
        } else {
            assert_eq!(cache, "no-cache", "{path}");
            assert_no_outside_url(path, &file.text().await.unwrap());
        }
    }
}

on_both_backends!(graphiql_loads_only_pinned_files_from_this_server);
