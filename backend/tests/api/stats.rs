//! The operator's overview (`GET /api/stats`): admins only, and every figure follows from
//! what tenants and the billing worker did.

use crate::helpers::{TestApp, eventually};
use nostr_sdk::Keys;
use serde_json::{Value, json};

const DAY: i64 = 24 * 3600;

async fn stats(app: &TestApp) -> Value {
    let reply = app.as_admin().get("/api/stats").await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    reply.body
}

fn count_of(list: &Value, key: &str, value: &str, field: &str) -> i64 {
    list.as_array()
        .unwrap()
        .iter()
        .find(|x| x[key] == value)
        .unwrap_or_else(|| panic!("no {key} = {value} in {list}"))[field]
        .as_i64()
        .unwrap()
}

fn open_ids(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["amount_msat"].as_i64() > Some(0))
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn only_admins_read_the_overview() {
    let app = TestApp::spawn().await;
    let anonymous = app.anonymous().get("/api/stats").await;
    assert_eq!(anonymous.status, 401);
    let tenant = app.as_tenant(&Keys::generate()).get("/api/stats").await;
    assert_eq!((tenant.status, tenant.code()), (403, "auth/admin-only"));
    assert_eq!(app.as_admin().get("/api/stats").await.status, 200);
}

#[tokio::test]
async fn the_figures_follow_tenants_relays_and_payments() {
    let app = TestApp::spawn().await;
    let empty = stats(&app).await;
    assert_eq!(empty["revenue"]["mrr_sats"], 0);
    assert_eq!(empty["invoices"]["success_rate"], Value::Null);

    let (a, b) = (Keys::generate(), Keys::generate());
    let (ua, ub) = (app.as_tenant(&a), app.as_tenant(&b));
    ua.create_relay("a-basic", "basic").await;
    let free = ua.create_relay("a-free", "free").await;
    ub.create_relay("b-basic", "basic").await;
    ub.create_relay("b-growth", "growth").await;
    let off = ua
        .post_empty(&format!("/api/relays/{}/deactivate", free.id))
        .await;
    assert_eq!(off.status, 200, "{:?}", off.body);

    // zooid (a config folder here) catches up with every relay.
    let s = eventually(10, "every relay synced", || async {
        let s = stats(&app).await;
        (s["sync"]["synced"] == 4).then_some(s)
    })
    .await;
    assert_eq!(
        (s["sync"]["behind"].as_i64(), s["sync"]["failing"].as_i64()),
        (Some(0), Some(0))
    );

    assert_eq!(
        (
            s["tenants"]["total"].as_i64(),
            s["tenants"]["active"].as_i64()
        ),
        (Some(2), Some(2))
    );
    let weeks = s["tenants"]["new_per_week"].as_array().unwrap();
    assert_eq!(weeks.len(), 8);
    assert_eq!(weeks[7]["count"], 2, "this week's sign-ups come last");
    assert!(weeks[..7].iter().all(|w| w["count"] == 0));

    let relays = &s["relays"];
    assert_eq!(relays["total"], 4);
    let by_status = &relays["by_status"];
    assert_eq!(
        count_of(by_status, "status", "pending", "count")
            + count_of(by_status, "status", "active", "count"),
        3
    );
    assert_eq!(count_of(by_status, "status", "inactive", "count"), 1);
    assert_eq!(count_of(by_status, "status", "suspended", "count"), 0);
    let by_plan = &relays["by_plan"];
    assert_eq!(
        [("free", 1, 0), ("basic", 2, 2), ("growth", 1, 1)].map(|(p, total, running)| (
            count_of(by_plan, "plan", p, "total") == total,
            count_of(by_plan, "plan", p, "running") == running
        )),
        [(true, true); 3]
    );

    // Two basic relays at 10,000 and one growth relay at 50,000 sats a month.
    assert_eq!(s["revenue"]["mrr_sats"], 70_000);
    let trend = s["revenue"]["trend"].as_array().unwrap();
    assert_eq!(trend.len(), 8);
    assert_eq!(trend[7]["mrr_sats"], 70_000);
    assert!(trend[..7].iter().all(|p| p["mrr_sats"] == 0), "{trend:?}");

    // Every paid relay opened a prorated invoice, due now: open, not yet overdue.
    let open_a = open_ids(
        &app.as_admin()
            .get(&format!(
                "/api/invoices?status=open&tenant={}",
                a.public_key().to_hex()
            ))
            .await
            .body,
    );
    let open_b = open_ids(
        &app.as_admin()
            .get(&format!(
                "/api/invoices?status=open&tenant={}",
                b.public_key().to_hex()
            ))
            .await
            .body,
    );
    assert_eq!(open_a.len(), 1);
    assert!(!open_b.is_empty());
    let invoices = &s["invoices"];
    assert_eq!(invoices["open"], 1 + open_b.len());
    assert_eq!(invoices["overdue"], 0);
    assert_eq!(invoices["success_rate"], Value::Null);

    // A pays; B does not, and the clock passes B's grace period (7 days).
    let paid = app
        .as_admin()
        .post(
            &format!("/api/invoices/{}/mark-paid", open_a[0]),
            json!({ "reason": "paid on-chain" }),
        )
        .await;
    assert_eq!(paid.status, 200, "{:?}", paid.body);
    app.server.state.billing.clock.advance(8 * DAY);
    app.server.state.billing.nudge();
    let s = eventually(10, "B's relays suspended", || async {
        let s = stats(&app).await;
        (count_of(&s["relays"]["by_status"], "status", "suspended", "count") == 2).then_some(s)
    })
    .await;
    let invoices = &s["invoices"];
    assert_eq!(invoices["open"], open_b.len());
    assert_eq!(invoices["overdue"], open_b.len());
    assert_eq!(invoices["paid_30d"], 1);
    assert_eq!(invoices["lapsed_30d"], open_b.len());
    let rate = invoices["success_rate"].as_f64().unwrap();
    assert!((rate - 1.0 / (1.0 + open_b.len() as f64)).abs() < 1e-9);

    // Only A's basic relay is billed now; a week ago all three were.
    assert_eq!(s["revenue"]["mrr_sats"], 10_000);
    let trend = s["revenue"]["trend"].as_array().unwrap();
    assert_eq!(trend[7]["mrr_sats"], 10_000);
    assert_eq!(trend[6]["mrr_sats"], 70_000);
    assert_eq!(trend[5]["mrr_sats"], 0);
    // The sign-ups are now in the week before this one.
    let weeks = s["tenants"]["new_per_week"].as_array().unwrap();
    assert_eq!(
        (weeks[6]["count"].as_i64(), weeks[7]["count"].as_i64()),
        (Some(2), Some(0))
    );

    // Messages: every figure matches the admin's message list.
    let total = |state: &'static str| {
        let app = &app;
        async move {
            app.as_admin()
                .get(&format!("/api/messages?state={state}&limit=1"))
                .await
                .body["total"]
                .clone()
        }
    };
    let m = stats(&app).await;
    let m = &m["messages"];
    assert_eq!(m["sent"], total("sent").await);
    assert_eq!(m["failing"], total("failing").await);
}
