// The operator's overview (/admin) against its own backend and seeded data: two tenants, four
// relays on three plans, one paid invoice and a grace period of zero days, so the unpaid tenant's
// relays are suspended at once. Every figure on the page is checked against what was seeded.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from '@playwright/test';
import WebSocket from 'ws';
import { apiCall, axe, contextFor, newUser, screenshot, startBackend, waitFor } from './harness.mjs';

globalThis.WebSocket ??= WebSocket;

const admin = newUser();
const a = newUser(); // pays
const b = newUser(); // does not
let relay, wallet, backend, ctx;

test.beforeAll(async () => {
	const { startRelay } = await import('../demo/relay.mjs');
	const { startWallet } = await import('../demo/wallet.mjs');
	relay = await startRelay();
	wallet = await startWallet({ relayUrl: relay.url, autoPaySeconds: 0 });
	backend = await startBackend({
		admins: [admin.pubkey],
		env: {
			NWC_URL: await wallet.connect(),
			LIGHTNING_NETWORK: 'regtest',
			BILLING_GRACE_DAYS: '0',
			ROBOT_INDEXER_RELAYS: relay.url,
			ROBOT_OUTBOX_RELAYS: relay.url,
			ROBOT_MESSAGING_RELAYS: relay.url,
		},
	});
});

test.afterAll(async () => {
	await ctx?.close();
	await backend?.stop();
	wallet?.close();
	relay?.close();
});

const call = (user, method, path, body) => apiCall(backend.url, user, method, path, body);

async function createRelay(user, subdomain, plan) {
	const r = await call(user, 'POST', '/api/relays', { name: `Relay ${subdomain}`, subdomain, plan });
	assert.equal(r.status, 201, JSON.stringify(r.body));
	return r.body;
}

const openInvoices = async (user) => ((await call(admin, 'GET', `/api/invoices?status=open&tenant=${user.pubkey}`)).body.items ?? []).filter((i) => i.amount_msat > 0);

test('admin overview: every figure matches the seeded tenants, relays, invoices and messages', async ({ browser }) => {
	await createRelay(a, 'ov-a-basic', 'basic');
	const free = await createRelay(a, 'ov-a-free', 'free');
	await createRelay(b, 'ov-b-basic', 'basic');
	await createRelay(b, 'ov-b-growth', 'growth');
	assert.equal((await call(a, 'POST', `/api/relays/${free.id}/deactivate`)).status, 200);
	const [paid] = await waitFor(async () => {
		const open = await openInvoices(a);
		return open.length === 1 && open;
	}, "A's invoice");
	assert.equal((await call(admin, 'POST', `/api/invoices/${paid.id}/mark-paid`, { reason: 'paid on-chain' })).status, 200);

	// The billing worker suspends B's relays (grace 0); zooid (a config folder) syncs every
	// change; the robot delivers its messages to the local relay. Then nothing moves.
	const statusCount = (s, status) => s.relays.by_status.find((c) => c.status === status).count;
	const settled = await waitFor(async () => {
		const s = (await call(admin, 'GET', '/api/stats')).body;
		const done = statusCount(s, 'suspended') === 2 && s.sync.synced === 4 && s.messages.pending === 0 && s.messages.failing === 0;
		return done && s;
	}, 'suspension, sync and delivery to settle', 30000);
	const unpaid = await openInvoices(b);
	assert.ok(unpaid.length >= 1);
	const unpaidSats = unpaid.reduce((sum, i) => sum + Math.floor(i.amount_msat / 1000), 0);
	const sent = (await call(admin, 'GET', '/api/messages?state=sent&limit=1')).body.total;
	assert.ok(sent > 0, 'the robot sent messages');

	ctx = await contextFor(browser, admin);
	const page = await ctx.newPage();
	// One backup on disk, taken with the CLI while the server runs (scheduled ones start a minute in).
	const backupDir = join(backend.dir, 'backups');
	mkdirSync(backupDir, { recursive: true });
	const backupFile = join(backupDir, 'caravel-20261201T000000Z.db');
	const made = spawnSync(backend.bin, ['backup', backupFile], {
		env: { PATH: process.env.PATH, DATA_DIR: backend.dir, DATABASE_URL: `sqlite://${backend.dir}/caravel.db` },
		encoding: 'utf8',
	});
	assert.equal(made.status, 0, made.stderr);
	const backupBytes = statSync(backupFile).size;
	await page.goto(`${backend.url}/login?next=${encodeURIComponent('/admin')}`);
	await page.getByRole('button', { name: 'Sign in with extension' }).click();
	await page.waitForURL((u) => u.pathname === '/admin');
	await page.getByRole('heading', { name: 'Overview' }).waitFor();
	// The charts are drawn (uPlot loads with this page only).
	await page.locator('[data-testid="tile-revenue"] canvas').waitFor();
	await page.locator('[data-testid="tile-tenants"] canvas').waitFor();

	const text = (id) => page.getByTestId(id).first().innerText();
	const expectText = async (id, want) => assert.equal((await text(id)).trim(), want, id);
	const fmt = (n) => n.toLocaleString('en-US');

	// Tenants: A and B signed up this week, none before.
	await expectText('stat-tenants-total', '2');
	await expectText('stat-tenants-active', '2');
	await expectText('stat-tenants-new', '2');
	await page.getByText('New tenants by week').click();
	const weeks = await page.getByTestId('tenants-per-week').locator('tbody tr td:last-child').allInnerTexts();
	assert.deepEqual(weeks, ['0', '0', '0', '0', '0', '0', '0', '2']);

	// Revenue: only A's basic relay (10,000 sats a month) runs; B's are suspended.
	await expectText('stat-mrr', '10,000 sats');
	await page.getByText('MRR by week').click();
	const trend = await page.getByTestId('mrr-trend').locator('tbody tr td:last-child').allInnerTexts();
	assert.deepEqual(trend, [...Array(7).fill('0 sats'), '10,000 sats']);

	// Relays by plan (running / all) and by status.
	for (const [plan, running, total] of [['free', '0', '1'], ['basic', '1', '2'], ['growth', '0', '1']]) {
		const row = page.getByTestId(`plan-${plan}`);
		assert.equal(await row.getByTestId('running').innerText(), running, `${plan} running`);
		assert.equal(await row.getByTestId('total').innerText(), total, `${plan} total`);
	}
	const running = statusCount(settled, 'active') + statusCount(settled, 'pending');
	assert.equal(running, 1);
	await expectText('status-active', String(statusCount(settled, 'active')));
	await expectText('status-pending', String(statusCount(settled, 'pending')));
	await expectText('status-suspended', '2');
	await expectText('status-inactive', '1');
	await expectText('stat-relays-total', '4');

	// Invoices: B's are open and past due + 0 days of grace; A's was paid.
	await expectText('stat-invoices-open', String(unpaid.length));
	await expectText('stat-invoices-open-sats', fmt(unpaidSats));
	await expectText('stat-invoices-overdue', String(unpaid.length));
	await expectText('stat-invoices-overdue-sats', fmt(unpaidSats));
	await expectText('stat-paid-30d', '1');
	await expectText('stat-lapsed-30d', String(unpaid.length));
	await expectText('stat-success-rate', `${Math.round((1000 * 1) / (1 + unpaid.length)) / 10}%`);

	// Sync and messages.
	await expectText('stat-sync-synced', '4');
	await expectText('stat-sync-behind', '0');
	await expectText('stat-sync-failing', '0');
	await expectText('stat-messages-sent', fmt(sent));
	await expectText('stat-messages-pending', '0');
	await expectText('stat-messages-failing', '0');

	// Backups: the one taken above, with its size; no failure.
	await expectText('stat-backups-count', '1');
	const kib = (backupBytes / 1024).toFixed(1);
	await expectText('stat-backups-size', backupBytes < 1024 * 1024 ? `${kib} KiB` : `${(backupBytes / 1048576).toFixed(1)} MiB`);
	await expectText('stat-backups-failure', 'none');
	assert.notEqual(await text('stat-backups-last'), 'none yet');

	const findings = await axe(page);
	assert.deepEqual(findings, [], JSON.stringify(findings, null, 1));
	await screenshot(page, 'admin-overview');
});
