//! Billing over time: proration of upgrades and downgrades from the charge history, one
//! period invoice per tenant and period however many runs race, and nothing lost or sent
//! twice across a crash.

use caravel::billing::run::run_periods;
use serde_json::json;

use crate::helpers::billing::{DAY, Net, Recipient, invoices, robot, wait_invoice};
use crate::helpers::{Invoice, TestApp, Worker, eventually};

async fn pay(net: &Net, app: &TestApp, keys: &nostr_sdk::Keys, invoice: &Invoice) {
    let me = app.as_tenant(keys);
    let current = me.invoice(&invoice.id).await;
    let hash = current
        .payment_hash
        .as_deref()
        .expect("a BOLT11 was issued");
    assert!(net.ledger.pay_externally(hash, net.offset_now()));
    let r: Invoice = me.check_invoice(&invoice.id).await.ok();
    assert_eq!(r.status, "paid", "{r:?}");
}

#[tokio::test]
async fn upgrades_are_charged_and_downgrades_credited_pro_rata() {
    let net = Net::start().await;
    let app = net.app().await;
    let tenant = Recipient::with_inbox(&net.url, &net.url).await;
    let me = app.as_tenant(&tenant.keys);
    let relay = me.create_relay("changes", "basic").await;
    let id = relay.id.as_str();
    let first = wait_invoice(&app, &tenant.keys, "first invoice", |i| i.bolt11.is_some()).await;
    let (start, end) = (first.period_start, first.period_end);
    pay(&net, &app, &tenant.keys, &first).await;

    net.advance(&app, 10 * DAY);
    let up = me.update_relay(id, json!({ "plan": "growth" })).await;
    assert_eq!(up.status, 200, "{:?}", up.body);
    let upgrade = wait_invoice(&app, &tenant.keys, "the upgrade invoice", |i| {
        i.id != first.id && i.bolt11.is_some()
    })
    .await;
    let t = upgrade.period_start;
    let len = i128::from(end - start);
    let left = i128::from(end - t);
    let growth = (50_000_000i128 * left / len) / 1000 * 1000;
    let basic_left = 10_000_000i128 * left / len;
    let expected = ((growth - basic_left) / 1000 * 1000) as i64;
    assert_eq!(upgrade.kind, "prorated");
    assert_eq!(upgrade.amount_msat, expected);
    assert_eq!(upgrade.period_end, end, "covers the rest of the period");
    let detail = me.invoice(&upgrade.id).await;
    assert_eq!(detail.items_total(), expected);
    assert!(detail.items[0].description.contains("Growth"));
    pay(&net, &app, &tenant.keys, &upgrade).await;

    net.advance(&app, 15 * DAY);
    let down = me.update_relay(id, json!({ "plan": "basic" })).await;
    assert_eq!(down.status, 200);
    assert_eq!(
        invoices(&app, &tenant.keys).await.len(),
        2,
        "a downgrade issues no invoice"
    );
    let credit: i64 = sqlx::query_scalar(
        "SELECT amount_msat FROM charges WHERE reason = 'plan-change' AND invoice_id IS NULL",
    )
    .fetch_one(app.db())
    .await
    .unwrap();
    assert!(
        credit < 0 && credit % 1000 == 0,
        "a whole-sat credit: {credit}"
    );
    assert!(
        10_000_000 + credit > 0,
        "this scenario's credit is smaller than a month"
    );

    // At the period boundary: one invoice for the coming month, with the credit taken off.
    net.advance(&app, end - net.offset_now() as i64 + 60);
    let period = wait_invoice(&app, &tenant.keys, "the period invoice", |i| {
        i.kind == "period"
    })
    .await;
    assert_eq!(period.period_start, end);
    assert_eq!(period.amount_msat, 10_000_000 + credit);
    let detail = me.invoice(&period.id).await;
    assert_eq!(detail.items.len(), 2);
    assert_eq!(detail.items_total(), 10_000_000 + credit);
}

#[tokio::test]
async fn two_billing_runs_at_once_make_one_invoice() {
    let net = Net::start().await;
    let app = net.app().await;
    let tenant = Recipient::with_inbox(&net.url, &net.url).await;
    let me = app.as_tenant(&tenant.keys);
    me.create_relay("racing-a", "basic").await;
    me.create_relay("racing-b", "growth").await;
    let first = wait_invoice(&app, &tenant.keys, "first invoice", |i| i.bolt11.is_some()).await;
    let end = first.period_end;
    net.offset.fetch_add(
        end - net.offset_now() as i64 + 10,
        std::sync::atomic::Ordering::SeqCst,
    );
    let state = &app.server.state;
    state
        .billing
        .clock
        .advance(end - state.billing.clock.now() + 10);
    let (a, b) = tokio::join!(run_periods(&state.billing), run_periods(&state.billing));
    let again = run_periods(&state.billing).await.unwrap();
    assert_eq!(
        a.unwrap() + b.unwrap() + again,
        1,
        "exactly one run created it"
    );
    let periods: Vec<Invoice> = invoices(&app, &tenant.keys)
        .await
        .into_iter()
        .filter(|i| i.kind == "period")
        .collect();
    assert_eq!(periods.len(), 1);
    assert_eq!(
        periods[0].amount_msat, 60_000_000,
        "one consolidated invoice for both relays"
    );
    let detail = me.invoice(&periods[0].id).await;
    assert_eq!(detail.items.len(), 2, "one item per relay");
}

#[tokio::test]
async fn a_crash_loses_no_message_and_sends_none_twice() {
    let net = Net::start().await;
    let app = net.app().await;
    let tenant = Recipient::with_inbox(&net.url, &net.url).await;
    app.as_tenant(&tenant.keys)
        .create_relay("crashy", "basic")
        .await;
    tenant.wait_for(robot(&app), "New invoice").await;
    let me = tenant.keys.public_key().to_hex();
    let wrap_before: String =
        sqlx::query_scalar("SELECT wrap_id FROM outbox WHERE recipient = ? AND topic = 'invoice'")
            .bind(&me)
            .fetch_one(app.db())
            .await
            .unwrap();
    // The process dies after publishing but before recording it: on restart it sends again.
    sqlx::query("UPDATE outbox SET state = 'pending', sent_at = NULL, accepted_by = NULL WHERE recipient = ?")
        .bind(&me)
        .execute(app.db())
        .await
        .unwrap();
    // And a billing run dies half-way: the tenant's period has begun but is not billed yet.
    let app = net.restart(app).await;
    eventually(20, "the message marked sent again", || async {
        let state: String = sqlx::query_scalar(
            "SELECT state FROM outbox WHERE recipient = ? AND topic = 'invoice'",
        )
        .bind(&me)
        .fetch_one(app.db())
        .await
        .unwrap();
        (state == "sent").then_some(())
    })
    .await;
    let wrap_after: String =
        sqlx::query_scalar("SELECT wrap_id FROM outbox WHERE recipient = ? AND topic = 'invoice'")
            .bind(&me)
            .fetch_one(app.db())
            .await
            .unwrap();
    assert_eq!(wrap_before, wrap_after, "the resend is the same event");
    let received: Vec<_> = tenant
        .messages()
        .await
        .into_iter()
        .filter(|(_, _, t)| t.contains("New invoice"))
        .collect();
    assert_eq!(received.len(), 1, "the recipient sees one message");
    let attempts: i64 = sqlx::query_scalar("SELECT count(*) FROM payment_attempts")
        .fetch_one(app.db())
        .await
        .unwrap();
    assert_eq!(attempts, 1, "no second BOLT11 for the same invoice");
    assert_eq!(invoices(&app, &tenant.keys).await.len(), 1);

    // Crash between creating an invoice and issuing its BOLT11: issued after restart.
    let end: i64 = invoices(&app, &tenant.keys).await[0].period_end;
    let state = &app.server.state;
    net.offset.fetch_add(
        end - net.offset_now() as i64 + 10,
        std::sync::atomic::Ordering::SeqCst,
    );
    state
        .billing
        .clock
        .advance(end - state.billing.clock.now() + 10);
    run_periods(&state.billing).await.unwrap();
    let app = net.restart(app).await;
    let period = wait_invoice(
        &app,
        &tenant.keys,
        "the period invoice issued after restart",
        |i| i.kind == "period" && i.bolt11.is_some(),
    )
    .await;
    assert_eq!(
        invoices(&app, &tenant.keys)
            .await
            .iter()
            .filter(|i| i.kind == "period")
            .count(),
        1
    );
    tenant
        .wait_for(robot(&app), period.bolt11.as_deref().unwrap())
        .await;
}

#[tokio::test]
async fn a_crash_while_a_pull_is_in_flight_never_pays_twice() {
    let net = Net::start().await;
    let app = net.app().await;
    let tenant = Recipient::with_inbox(&net.url, &net.url).await;
    let me = app.as_tenant(&tenant.keys);
    let wallet = net
        .tenant_wallet(caravel_testkit::wallet::Encryption::Nip44)
        .await;
    me.register().await;
    assert_eq!(me.set_billing(Some(&wallet.uri())).await.status, 200);
    wallet.set_pay_mode(caravel_testkit::wallet::PayMode::PayWithoutAnswer);
    me.create_relay("pull-crash", "basic").await;
    // The pull is recorded, the wallet has paid, its answer never comes: the process dies.
    eventually(20, "the pull recorded and paid by the wallet", || async {
        let sent: i64 =
            sqlx::query_scalar("SELECT count(*) FROM wallet_pulls WHERE state = 'sent'")
                .fetch_one(app.db())
                .await
                .unwrap();
        (sent == 1 && wallet.payments_made() == 1).then_some(())
    })
    .await;
    let app = net.restart(app).await;
    wait_invoice(
        &app,
        &tenant.keys,
        "the invoice found paid after restart",
        |i| i.status == "paid",
    )
    .await;
    net.advance(&app, 2 * DAY);
    // Whole billing passes after the clock moved: a second pull would have been made.
    app.wait_for_passes(Worker::Billing, 2).await;
    assert_eq!(wallet.payments_made(), 1, "never paid twice");
    tenant.wait_for(robot(&app), "Payment received").await;
}
