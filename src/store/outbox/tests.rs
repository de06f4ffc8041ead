use super::*;

#[test]
fn delivery_id_values_are_pinned() {
    // Stored with each delivery and sent to webhooks for deduplication: it must never change.
    assert_eq!(delivery_id("<a@x>", "email", true), "<a@x>");
    assert_eq!(
        delivery_id("<a@x>", "hook", false),
        "3fc9ebc237735170e49eaec37e198728"
    );
}

fn alert(id: &str, target: &str) -> NewAlert {
    NewAlert {
        message: AlertMessage {
            kind: "change".into(),
            message_id: id.into(),
            thread_id: None,
            subject: format!("about {target}"),
            body_text: "b".into(),
            body_html: None,
        },
        payload: "{}".into(),
        digest: false,
    }
}

#[test]
fn each_channel_has_its_own_delivery_with_a_stable_id() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("db.sqlite3")).unwrap();
    let a = s.enqueue(Some("t"), &alert("<a@x>", "t"), 10).unwrap();
    let b = s.enqueue(Some("u"), &alert("<b@x>", "u"), 11).unwrap();
    let routed = s
        .route(12, "email", |t| match t {
            Some("u") => vec!["ops".into()],
            _ => vec!["email".into(), "ops".into()],
        })
        .unwrap();
    assert_eq!(routed, 2);
    assert_eq!(s.route(13, "email", |_| vec!["email".into()]).unwrap(), 0);
    let ds = s.deliveries_of(a).unwrap();
    assert_eq!(
        ds.iter()
            .map(|d| (d.channel.as_str(), d.delivery_id.clone()))
            .collect::<Vec<_>>(),
        [
            ("email", "<a@x>".to_string()),
            ("ops", delivery_id("<a@x>", "ops", false))
        ]
    );
    assert_eq!(s.pending_deliveries(Some("ops")).unwrap().len(), 2);

    // Claims are per delivery and exclusive while the holder lives.
    let ops_a = &ds[1];
    assert!(
        s.claim_delivery(ops_a.id, "1@another-host", 20, 400)
            .unwrap()
    );
    assert!(
        !s.claim_delivery(ops_a.id, "2@another-host", 21, 401)
            .unwrap()
    );
    s.delivery_failed(ops_a.id, "HTTP 503", 100, None).unwrap();
    s.delivery_sent(ds[0].id, 30).unwrap();
    assert_eq!(
        s.pending_alerts().unwrap().len(),
        2,
        "a's webhook is pending"
    );
    s.delivery_failed_for_good(ops_a.id, "HTTP 410", 40)
        .unwrap();
    let left: Vec<i64> = s.pending_alerts().unwrap().iter().map(|a| a.id).collect();
    assert_eq!(
        left,
        [b],
        "a is done: sent by email, refused for good by ops"
    );
    let failed = s.failed_deliveries_since(35).unwrap();
    assert_eq!(
        (
            failed.len(),
            failed[0].attempts,
            failed[0].last_error.as_deref()
        ),
        (1, 2, Some("HTTP 410"))
    );
    assert!(
        !s.claim_delivery(ops_a.id, "3@another-host", 50, 500)
            .unwrap()
    );
}

#[test]
fn upgrading_keeps_sent_alerts_sent_and_routes_pending_ones_with_their_history() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite3");
    {
        // A database as the version before deliveries left it.
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        super::super::migrations().to_version(&mut conn, 5).unwrap();
        conn.execute_batch(
            "INSERT INTO outbox (target, kind, message_id, subject, body_text, created_at,
                                 attempts, next_attempt_at, last_error, sent_at, digest)
             VALUES ('t', 'change', '<sent@x>', 's', 'b', 10, 1, 10, NULL, 20, 0),
                    ('t', 'change', '<pending@x>', 's', 'b', 30, 3, 500, 'timed out', NULL, 0),
                    ('t', 'change', '<digested@x>', 's', 'b', 40, 0, 40, NULL, 50, 1);",
        )
        .unwrap();
    }
    let mut s = Store::open(&path).unwrap();
    let pending: Vec<String> = s
        .pending_alerts()
        .unwrap()
        .into_iter()
        .map(|a| a.message.message_id)
        .collect();
    assert_eq!(pending, ["<pending@x>"]);
    assert!(
        s.pending_deliveries(None).unwrap().is_empty(),
        "not routed yet"
    );
    s.route(600, "email", |_| vec!["email".into(), "ops".into()])
        .unwrap();
    let ds = s.pending_deliveries(None).unwrap();
    let got: Vec<(&str, &str, i64, i64, Option<&str>)> = ds
        .iter()
        .map(|d| {
            (
                d.channel.as_str(),
                d.delivery_id.as_str(),
                d.attempts,
                d.next_attempt_at,
                d.last_error.as_deref(),
            )
        })
        .collect();
    let ops_id = delivery_id("<pending@x>", "ops", false);
    assert_eq!(
        got,
        [
            ("email", "<pending@x>", 3, 500, Some("timed out")),
            ("ops", ops_id.as_str(), 0, 500, None)
        ]
    );
    let sent = s.deliveries_of(1).unwrap();
    assert_eq!(
        (sent.len(), sent[0].state, sent[0].delivery_id.as_str()),
        (1, DeliveryState::Sent, "<sent@x>")
    );
    assert!(
        s.deliveries_of(3).unwrap().is_empty(),
        "digested: no delivery"
    );
}
