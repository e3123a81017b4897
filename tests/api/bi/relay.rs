//! The change relay against a real NATS server with JetStream on 127.0.0.1:4222 (`.ci/run`
//! starts one if none runs): each committed change published once, on its kind's subject,
//! also when the relay restarts after publishing but before its cursor moved, and when NATS
//! itself restarts (a server of the test's own, stopped while writes go on).

use async_nats::jetstream;
use futures::StreamExt;
use serde_json::{Value, json};
use ssw_api::integrations::bi::relay::{self, RelayConfig};

use crate::{
    helpers::{Backend, TestApp, on_both_backends},
    sync::{push, student},
};

const NATS: &str = "nats://127.0.0.1:4222";

/// A stream and subjects of this test's own.
fn config() -> RelayConfig {
    let id = uuid::Uuid::now_v7().simple().to_string();
    RelayConfig {
        stream: format!("SSW_TEST_{id}"),
        subject_prefix: format!("ssw.test.{id}"),
    }
}

async fn jetstream() -> jetstream::Context {
    let client = async_nats::connect(NATS)
        .await
        .expect("NATS with JetStream on 127.0.0.1:4222 (.ci/run starts it)");
    jetstream::new(client)
}

/// The payloads in `stream`, oldest first.
async fn published(js: &jetstream::Context, name: &str) -> Vec<(String, Value)> {
    let stream = js.get_stream(name).await.unwrap();
    let consumer = stream
        .create_consumer(jetstream::consumer::pull::Config::default())
        .await
        .unwrap();
    let count = stream.cached_info().state.messages as usize;
    let mut messages = consumer
        .fetch()
        .max_messages(count.max(1))
        .messages()
        .await
        .unwrap();
    let mut found = Vec::new();
    while let Some(Ok(message)) = messages.next().await {
        let payload = serde_json::from_slice(&message.payload).unwrap();
        found.push((message.subject.to_string(), payload));
    }
    found
}

async fn the_relay_publishes_each_change_once_across_a_restart(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (js, config) = (jetstream().await, config());
    relay::stream(&js, &config).await.unwrap();
    let sis = app.as_sis();
    let three: Vec<Value> = (0..3)
        .map(|i| student(&format!("a{i}"), "Ruiz", "03"))
        .collect();
    push(&sis, "syncStudents", json!({}), json!(three)).await;
    assert_eq!(relay::relay_once(&app.db, &js, &config).await.unwrap(), 3);
    assert_eq!(relay::relay_once(&app.db, &js, &config).await.unwrap(), 0);
    let first = published(&js, &config.stream).await;
    let resume = first[2].1["cursor"].as_str().unwrap().to_string();

    // Two more; published, then the cursor lost (a crash before it moved): sent again, and
    // JetStream keeps one of each.
    let two: Vec<Value> = (0..2)
        .map(|i| student(&format!("b{i}"), "Lee", "04"))
        .collect();
    push(&sis, "syncStudents", json!({}), json!(two)).await;
    assert_eq!(relay::relay_once(&app.db, &js, &config).await.unwrap(), 2);
    let (position, seq) = resume.split_once('.').unwrap();
    let back = (position.parse().unwrap(), seq.parse().unwrap());
    relay::move_cursor(&app.db, &config, back).await.unwrap();
    assert_eq!(relay::relay_once(&app.db, &js, &config).await.unwrap(), 2);

    let all = published(&js, &config.stream).await;
    assert_eq!(all.len(), 5, "each change once");
    let subject = format!("{}.student", config.subject_prefix);
    assert!(
        all.iter()
            .all(|(s, p)| *s == subject && p["entityType"] == "student")
    );
    let cursors: Vec<&str> = all
        .iter()
        .map(|(_, p)| p["cursor"].as_str().unwrap())
        .collect();
    let mut sorted = cursors.clone();
    sorted.dedup();
    assert_eq!(sorted.len(), 5);
    js.delete_stream(&config.stream).await.unwrap();
}

async fn the_server_relays_when_nats_is_configured(backend: Backend) {
    let config = config();
    let args = [
        "--nats-url",
        NATS,
        "--nats-stream",
        &config.stream,
        "--nats-subject",
        &config.subject_prefix,
    ];
    let app = TestApp::spawn_with(backend, &args).await;
    let records: Vec<Value> = (0..2)
        .map(|i| student(&format!("c{i}"), "Okafor", "05"))
        .collect();
    push(&app.as_sis(), "syncStudents", json!({}), json!(records)).await;
    let js = jetstream().await;
    let mut relayed = 0;
    for _ in 0..100 {
        if let Ok(mut stream) = js.get_stream(&config.stream).await {
            relayed = stream.info().await.unwrap().state.messages;
            if relayed == 2 {
                break;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(relayed, 2, "the server's relay published both changes");
    js.delete_stream(&config.stream).await.unwrap();
}

/// A NATS server with JetStream of this test's own, on a free port, keeping its streams in a
/// directory of its own, so that the test can stop and restart it.
struct OwnNats {
    port: u16,
    store: tempfile::TempDir,
    process: Option<std::process::Child>,
}

impl OwnNats {
    fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut nats = Self {
            port,
            store: tempfile::tempdir().unwrap(),
            process: None,
        };
        nats.restart();
        nats
    }

    fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// Starts the server (again), on the same port and store.
    fn restart(&mut self) {
        // Debian installs it in /usr/sbin, which a user's PATH may not hold.
        let program = ["/usr/sbin/nats-server", "nats-server"]
            .into_iter()
            .find(|path| std::path::Path::new(path).exists())
            .unwrap_or("nats-server");
        let process = std::process::Command::new(program)
            .args([
                "-a",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-js",
                "-sd",
            ])
            .arg(self.store.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("nats-server (.ci/run installs it)");
        self.process = Some(process);
    }

    fn stop(&mut self) {
        if let Some(mut process) = self.process.take() {
            process.kill().unwrap();
            process.wait().unwrap();
        }
    }
}

impl Drop for OwnNats {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Messages in `name` once there are `want` of them (or what there is after 15 s).
async fn messages_once(url: &str, name: &str, want: u64) -> u64 {
    let mut found = 0;
    for _ in 0..150 {
        if let Ok(client) = async_nats::connect(url).await
            && let Ok(mut stream) = jetstream::new(client).get_stream(name).await
            && let Ok(info) = stream.info().await
        {
            found = info.state.messages;
            if found >= want {
                break;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    found
}

async fn the_relay_resumes_after_nats_restarts(backend: Backend) {
    let mut nats = OwnNats::start();
    let (url, config) = (nats.url(), config());
    let args = [
        "--nats-url",
        &url,
        "--nats-stream",
        &config.stream,
        "--nats-subject",
        &config.subject_prefix,
    ];
    let app = TestApp::spawn_with(backend, &args).await;
    let sis = app.as_sis();
    let batch = |prefix: &str| -> Vec<Value> {
        (0..2)
            .map(|i| student(&format!("{prefix}{i}"), "Novak", "06"))
            .collect()
    };
    push(&sis, "syncStudents", json!({}), json!(batch("d"))).await;
    assert_eq!(messages_once(&url, &config.stream, 2).await, 2);

    // NATS goes away; writes go on, and wait in the outbox.
    nats.stop();
    push(&sis, "syncStudents", json!({}), json!(batch("e"))).await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    nats.restart();

    assert_eq!(
        messages_once(&url, &config.stream, 4).await,
        4,
        "the relay reconnected and published the changes written while NATS was down"
    );
    let client = async_nats::connect(&url).await.unwrap();
    let all = published(&jetstream::new(client), &config.stream).await;
    let mut keys: Vec<&str> = all
        .iter()
        .map(|(_, p)| p["naturalKey"].as_str().unwrap())
        .collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 4, "each change once: {keys:?}");
}

on_both_backends!(
    the_relay_publishes_each_change_once_across_a_restart,
    the_server_relays_when_nats_is_configured,
    the_relay_resumes_after_nats_restarts,
);
