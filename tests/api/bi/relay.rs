//! The change relay against a real NATS server with JetStream on 127.0.0.1:4222 (`.ci/run`
//! starts one if none runs): each committed change published once, on its kind's subject,
//! also when the relay restarts after publishing but before its cursor moved.

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

on_both_backends!(
    the_relay_publishes_each_change_once_across_a_restart,
    the_server_relays_when_nats_is_configured,
);
