//! Billing end to end against real peers on loopback: invoices and DMs, payment and
//! receipts, grace and suspension, recurring pulls, and the wallet-URL check.

use std::str::FromStr;

use caravel_testkit::wallet::Encryption;
use caravel_testkit::wallet::PayMode;
use lightning_invoice::Bolt11Invoice;
use serde_json::Value;

use crate::helpers::billing::{DAY, Net, Recipient, invoices, pay_externally, robot, wait_invoice};
use crate::helpers::{Invoice, Tenant, Worker, eventually};

fn hash_of(invoice: &Invoice) -> String {
    invoice.payment_hash.clone().expect("a payment hash")
}

#[tokio::test]
async fn a_first_paid_relay_is_invoiced_by_dm_and_payment_brings_a_receipt() {
    let net = Net::start().await;
    let app = net.app().await;
    let tenant = Recipient::with_inbox(&net.url, &net.url).await;
    let me = app.as_tenant(&tenant.keys);

    let platform = app.anonymous().platform().await;
    assert_eq!(platform["pubkey"], robot(&app).to_hex());
    assert!(platform["npub"].as_str().unwrap().starts_with("npub1"));
    assert_eq!(
        platform["indexer_relays"],
        serde_json::json!([format!("{}/", net.url)]),
        "the dashboard reads profiles from the platform's indexer relays"
    );

    let created = me.create_relay("paid-one", "basic").await;
    let invoice = wait_invoice(&app, &tenant.keys, "an invoice with a BOLT11", |i| {
        i.bolt11.is_some()
    })
    .await;
    assert_eq!(invoice.kind, "prorated");
    assert_eq!(
        invoice.amount_msat, 10_000_000,
        "a whole first period of 10,000 sats"
    );
    assert_eq!(invoice.status, "open");
    let bolt11 = invoice.bolt11.as_deref().unwrap();
    let parsed = Bolt11Invoice::from_str(bolt11).unwrap();
    assert_eq!(parsed.amount_milli_satoshis(), Some(10_000_000));
    assert_eq!(parsed.payment_hash().to_string(), hash_of(&invoice));

    let dm = tenant.wait_for(robot(&app), bolt11).await;
    assert!(dm.contains("10000 sats"), "{dm}");
    assert!(dm.contains(&format!("/invoices/{}", invoice.id)), "{dm}");

    let detail = me.invoice(&invoice.id).await;
    assert_eq!(detail.items.len(), 1);
    assert_eq!(detail.items[0].relay_id.as_ref(), Some(&created.id));

    // Paid from outside: the operator wallet's notification settles it, nobody watching.
    assert!(
        net.ledger
            .pay_externally(&hash_of(&invoice), net.offset_now())
    );
    wait_invoice(&app, &tenant.keys, "the invoice paid", |i| {
        i.status == "paid"
    })
    .await;
    tenant.wait_for(robot(&app), "Payment received").await;
    assert_eq!(invoices(&app, &tenant.keys).await.len(), 1);
}

#[tokio::test]
async fn unpaid_past_grace_suspends_and_payment_reactivates_only_suspended_relays() {
    let net = Net::start().await;
    let app = net.app().await;
    let tenant = Recipient::with_inbox(&net.url, &net.url).await;
    let me = app.as_tenant(&tenant.keys);
    let kept = me.create_relay("kept-on", "basic").await;
    let invoice = wait_invoice(&app, &tenant.keys, "first invoice", |i| i.bolt11.is_some()).await;
    let id = invoice.id;
    let kept_id = kept.id.as_str();
    let before = me.relay(kept_id).await;

    net.advance(&app, 5 * DAY + 3600);
    tenant.wait_for(robot(&app), "Reminder").await;
    net.advance(&app, 3 * DAY);
    let suspended = eventually(20, "the relay suspended", || async {
        let r = me.relay(kept_id).await;
        (r.status == "suspended").then_some(r)
    })
    .await;
    assert!(
        suspended.sync.state != "synced" || before.sync.state != "synced",
        "a sync is asked for"
    );
    let desired_before: i64 = sqlx::query_scalar("SELECT desired_version FROM relays WHERE id = ?")
        .bind(kept_id)
        .fetch_one(app.db())
        .await
        .unwrap();
    assert!(desired_before >= 2, "suspension bumped desired_version");
    tenant.wait_for(robot(&app), "suspended").await;
    let reactivate = me.reactivate(kept_id).await;
    assert_eq!(
        (reactivate.status, reactivate.code()),
        (409, "relay/suspended")
    );

    // Later payment of the current BOLT11, found by the dashboard's "I've paid" button.
    pay_externally(&net, &app, &tenant.keys, &id).await;
    let checked: Invoice = me.check_invoice(&id).await.ok();
    assert_eq!(checked.status, "paid");
    let back = me.relay(kept_id).await;
    assert_ne!(back.status, "suspended");
    tenant.wait_for(robot(&app), "Reactivated").await;
}

#[tokio::test]
async fn a_relay_turned_off_by_its_owner_stays_off_after_payment() {
    let net = Net::start().await;
    let app = net.app().await;
    let tenant = Recipient::with_inbox(&net.url, &net.url).await;
    let me = app.as_tenant(&tenant.keys);
    let a = me.create_relay("first-paid", "basic").await;
    let first = wait_invoice(&app, &tenant.keys, "first invoice", |i| i.bolt11.is_some()).await;
    let b = me.create_relay("second-paid", "basic").await;
    let second = wait_invoice(&app, &tenant.keys, "second invoice", |i| {
        i.bolt11.is_some() && i.id != first.id
    })
    .await;
    net.advance(&app, 8 * DAY);
    let (a_id, b_id) = (a.id.as_str(), b.id.as_str());
    eventually(20, "both suspended", || async {
        let (x, y) = (me.relay(a_id).await, me.relay(b_id).await);
        (x.status == "suspended" && y.status == "suspended").then_some(())
    })
    .await;
    // The owner turns one off while suspended; paying must not bring that one back.
    me.deactivate(b_id).await;
    for inv in [&first, &second] {
        pay_externally(&net, &app, &tenant.keys, &inv.id).await;
        let r: Invoice = me.check_invoice(&inv.id).await.ok();
        assert_eq!(r.status, "paid", "{r:?}");
    }
    assert_ne!(me.relay(a_id).await.status, "suspended");
    assert_eq!(me.relay(b_id).await.status, "inactive");
}

#[tokio::test]
async fn recurring_billing_pays_from_the_tenants_nip04_wallet() {
    let net = Net::start().await;
    let app = net.app().await;
    let tenant = Recipient::with_inbox(&net.url, &net.url).await;
    let me = app.as_tenant(&tenant.keys);
    let wallet = net.tenant_wallet(Encryption::Nip04).await;
    me.register().await;
    let saved: Tenant = me.set_billing(Some(&wallet.uri())).await.ok();
    assert!(saved.billing.recurring);

    me.create_relay("auto-pay", "basic").await;
    wait_invoice(&app, &tenant.keys, "paid automatically", |i| {
        i.status == "paid"
    })
    .await;
    assert_eq!(wallet.payments_made(), 1);
    tenant.wait_for(robot(&app), "Payment received").await;
    let sent: Vec<String> =
        sqlx::query_scalar("SELECT topic FROM outbox WHERE recipient = ? ORDER BY id")
            .bind(tenant.keys.public_key().to_hex())
            .fetch_all(app.db())
            .await
            .unwrap();
    assert_eq!(
        sent,
        vec!["receipt"],
        "no manual-payment invoice DM when the wallet pays"
    );
}

#[tokio::test]
async fn a_wallet_that_times_out_but_paid_is_not_charged_twice() {
    let net = Net::start().await;
    let app = net.app().await;
    let tenant = Recipient::with_inbox(&net.url, &net.url).await;
    let me = app.as_tenant(&tenant.keys);
    let wallet = net.tenant_wallet(Encryption::Nip44).await;
    me.register().await;
    assert_eq!(me.set_billing(Some(&wallet.uri())).await.status, 200);
    wallet.set_pay_mode(PayMode::PayWithoutAnswer);

    me.create_relay("slow-wallet", "basic").await;
    wait_invoice(&app, &tenant.keys, "paid despite the timeout", |i| {
        i.status == "paid"
    })
    .await;
    net.advance(&app, 2 * DAY);
    // Whole billing passes after the clock moved: a second pull would have been made.
    app.wait_for_passes(Worker::Billing, 2).await;
    assert_eq!(wallet.payments_made(), 1, "paid exactly once");
    let pulls: Vec<String> = sqlx::query_scalar("SELECT state FROM wallet_pulls")
        .fetch_all(app.db())
        .await
        .unwrap();
    assert_eq!(pulls, vec!["paid"]);
}

#[tokio::test]
async fn a_failed_pull_tells_the_tenant_why_and_keeps_the_manual_path() {
    let net = Net::start().await;
    let app = net.app().await;
    let tenant = Recipient::with_inbox(&net.url, &net.url).await;
    let me = app.as_tenant(&tenant.keys);
    let wallet = net.tenant_wallet(Encryption::Nip44).await;
    me.register().await;
    assert_eq!(me.set_billing(Some(&wallet.uri())).await.status, 200);
    wallet.set_pay_mode(PayMode::Refuse(
        "QUOTA_EXCEEDED",
        "monthly budget used up".into(),
    ));

    me.create_relay("no-budget", "basic").await;
    let dm = tenant.wait_for(robot(&app), "could not pay").await;
    assert!(dm.contains("monthly budget used up"), "{dm}");
    let t = me.my_tenant().await;
    assert!(t.billing.last_error.unwrap().contains("budget"));
    let invoice = &invoices(&app, &tenant.keys).await[0];
    assert_eq!(invoice.status, "open");
    assert!(invoice.bolt11.as_deref().unwrap().starts_with("lnbcrt"));
}

#[tokio::test]
async fn an_unreachable_wallet_url_is_refused_and_the_previous_one_kept() {
    let net = Net::start().await;
    let app = net.app().await;
    let keys = nostr_sdk::Keys::generate();
    let me = app.as_tenant(&keys);
    me.register().await;
    let good = net.tenant_wallet(Encryption::Nip44).await;
    assert_eq!(me.set_billing(Some(&good.uri())).await.status, 200);
    let silent = format!(
        "nostr+walletconnect://{}?relay={}&secret={}",
        nostr_sdk::Keys::generate().public_key().to_hex(),
        url::form_urlencoded::byte_serialize(net.url.as_bytes()).collect::<String>(),
        nostr_sdk::Keys::generate().secret_key().to_secret_hex()
    );
    let refused = me.set_billing(Some(&silent)).await;
    assert_eq!(
        (refused.status, refused.code()),
        (422, "billing/wallet-unreachable")
    );
    let t = me.my_tenant().await;
    assert_eq!(
        t.billing.wallet_pubkey.as_deref(),
        Some(&good.uri()[22..86])
    );
}

#[tokio::test]
async fn without_an_inbox_list_the_read_relays_are_used_and_recorded() {
    let net = Net::start().await;
    let app = net.app().await;
    let (_read_relay, read_url) = crate::helpers::billing::local_relay().await;
    let tenant = Recipient::with_read_relay_only(&net.url, &read_url).await;
    tenant.tenant();
    app.as_tenant(&tenant.keys)
        .create_relay("fallback", "basic")
        .await;
    tenant.wait_for(robot(&app), "New invoice").await;
    let source: String = sqlx::query_scalar("SELECT relay_source FROM outbox WHERE recipient = ?")
        .bind(tenant.keys.public_key().to_hex())
        .fetch_one(app.db())
        .await
        .unwrap();
    assert_eq!(source, "10002-read");
}

#[tokio::test]
async fn an_inbox_relay_that_demands_auth_still_gets_the_message() {
    let net = Net::start().await;
    let app = net.app().await;
    let (_inbox, inbox_url) = crate::helpers::billing::auth_relay().await;
    let tenant = Recipient::with_inbox(&net.url, &inbox_url).await;
    app.as_tenant(&tenant.keys)
        .create_relay("behind-auth", "basic")
        .await;
    tenant.wait_for(robot(&app), "New invoice").await;
    let accepted: String = sqlx::query_scalar("SELECT accepted_by FROM outbox WHERE recipient = ?")
        .bind(tenant.keys.public_key().to_hex())
        .fetch_one(app.db())
        .await
        .unwrap();
    assert!(
        accepted.contains(inbox_url.trim_end_matches('/')),
        "{accepted}"
    );
}

#[tokio::test]
async fn admins_void_or_mark_paid_with_a_reason_and_tenants_cannot() {
    let net = Net::start().await;
    let app = net.app().await;
    let tenant = Recipient::with_inbox(&net.url, &net.url).await;
    let me = app.as_tenant(&tenant.keys);
    me.create_relay("admin-one", "basic").await;
    let first = wait_invoice(&app, &tenant.keys, "first invoice", |i| i.bolt11.is_some()).await;
    me.create_relay("admin-two", "basic").await;
    let second = wait_invoice(&app, &tenant.keys, "second invoice", |i| i.id != first.id).await;
    let (a, b) = (first.id.as_str(), second.id.as_str());
    let admin = app.as_admin();

    let denied = me.void_invoice(a, "mine").await;
    assert_eq!((denied.status, denied.code()), (403, "auth/admin-only"));
    let no_reason = admin.void_invoice(a, " ").await;
    assert_eq!(
        (no_reason.status, no_reason.code()),
        (422, "invoice/invalid-reason")
    );

    let voided: Invoice = admin.void_invoice(a, "goodwill").await.ok();
    assert_eq!(voided.status, "void", "{voided:?}");
    let paid: Invoice = admin.mark_paid(b, "paid on-chain").await.ok();
    assert_eq!(paid.status, "paid", "{paid:?}");
    let again = admin.void_invoice(b, "oops").await;
    assert_eq!((again.status, again.code()), (409, "invoice/not-open"));

    let log: Vec<(String, String)> = sqlx::query_as("SELECT action, details FROM activity WHERE resource_type = 'invoice' AND actor <> 'system' ORDER BY id")
        .fetch_all(app.db())
        .await
        .unwrap();
    assert_eq!(log.len(), 2);
    assert!(
        log[0].0 == "invoice.voided" && log[0].1.contains("goodwill"),
        "{log:?}"
    );
    assert!(
        log[1].0 == "invoice.paid" && log[1].1.contains("paid on-chain"),
        "{log:?}"
    );
    tenant.wait_for(robot(&app), "Payment received").await;
}

#[tokio::test]
async fn the_robot_publishes_its_profile_once_and_again_only_when_it_changes() {
    use nostr_sdk::{Client, Filter, Kind};
    let net = Net::start().await;
    let app = net.app_with(&[("ROBOT_NAME", "Relay Host")]).await;
    let me = robot(&app);
    let reader = Client::default();
    reader.add_relay(net.url.as_str()).await.unwrap();
    reader.connect().await;
    let profile = eventually(20, "the robot's kind 0", || async {
        let filter =
            Filter::new()
                .author(me)
                .kinds([Kind::Metadata, Kind::RelayList, Kind::InboxRelays]);
        let found = reader
            .fetch_events(filter, std::time::Duration::from_secs(2))
            .await
            .ok()?;
        (found.len() == 3).then_some(found)
    })
    .await;
    let meta = profile.iter().find(|e| e.kind == Kind::Metadata).unwrap();
    let content: Value = serde_json::from_str(&meta.content).unwrap();
    assert_eq!(
        (content["name"].as_str(), content["bot"].as_bool()),
        (Some("Relay Host"), Some(true))
    );
    let inbox = profile
        .iter()
        .find(|e| e.kind == Kind::InboxRelays)
        .unwrap();
    assert!(
        inbox
            .tags
            .iter()
            .any(|t| t.as_slice().first().map(String::as_str) == Some("relay"))
    );

    let before: Vec<(i64, String)> =
        sqlx::query_as("SELECT kind, event_id FROM robot_published ORDER BY kind")
            .fetch_all(app.db())
            .await
            .unwrap();
    let app = net.restart(app).await;
    // The restarted publisher has looked and decided.
    app.wait_until_passes(Worker::RobotProfile, 1).await;
    let after: Vec<(i64, String)> =
        sqlx::query_as("SELECT kind, event_id FROM robot_published ORDER BY kind")
            .fetch_all(app.db())
            .await
            .unwrap();
    assert_eq!(before, after, "nothing changed, nothing republished");
    assert_eq!(
        robot(&app),
        me,
        "the key is kept in DATA_DIR across restarts"
    );
}

#[tokio::test]
async fn a_bolt11_for_the_wrong_network_is_never_stored_or_sent() {
    let net = Net::start_full(Encryption::Nip44, lightning_invoice::Currency::Bitcoin).await;
    let app = net.app().await;
    let tenant = Recipient::with_inbox(&net.url, &net.url).await;
    tenant.tenant();
    app.as_tenant(&tenant.keys)
        .create_relay("wrong-net", "basic")
        .await;
    let invoice = wait_invoice(&app, &tenant.keys, "the issue error shown", |i| {
        i.last_error.is_some()
    })
    .await;
    assert!(invoice.bolt11.is_none());
    let error = invoice.last_error.as_deref().unwrap();
    assert!(error.contains("bitcoin, not regtest"), "{error}");
    let attempts: i64 = sqlx::query_scalar("SELECT count(*) FROM payment_attempts")
        .fetch_one(app.db())
        .await
        .unwrap();
    assert_eq!(attempts, 0);
    assert!(
        tenant.messages().await.is_empty(),
        "no invoice message without a valid BOLT11"
    );
}

#[tokio::test]
async fn a_bolt11_that_cannot_be_stored_fails_only_its_own_invoice() {
    // A broken wallet reuses one payment hash: the second tenant's BOLT11 cannot be stored.
    let net = Net::start_reusing_payment_hash().await;
    let app = net.app().await;
    let first = Recipient::with_inbox(&net.url, &net.url).await;
    let second = Recipient::with_inbox(&net.url, &net.url).await;
    first.tenant();
    second.tenant();
    app.as_tenant(&first.keys)
        .create_relay("first-one", "basic")
        .await;
    let payable = wait_invoice(&app, &first.keys, "a BOLT11", |i| i.bolt11.is_some()).await;
    app.as_tenant(&second.keys)
        .create_relay("second-one", "basic")
        .await;
    let failed = wait_invoice(&app, &second.keys, "the issue error shown", |i| {
        i.last_error.is_some()
    })
    .await;
    assert!(failed.bolt11.is_none());
    let error = failed.last_error.as_deref().unwrap();
    assert!(error.contains("payment_hash"), "{error}");
    let still = wait_invoice(&app, &first.keys, "the first invoice", |_| true).await;
    assert_eq!(still.bolt11, payable.bolt11, "the first keeps its BOLT11");
    first
        .wait_for(robot(&app), payable.bolt11.as_deref().unwrap())
        .await;
    assert!(
        second.messages().await.is_empty(),
        "no invoice message without a stored BOLT11"
    );
}
