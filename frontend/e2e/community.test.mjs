// A relay's community in Chromium against the real backend provisioning to the zooid stand-in
// (real relays on loopback, zooid's API and NIP-86): members read from the relay and added as the
// relay, the plan's member limit, the switches, co-admins with their own session, more than a
// page of reports read a page at a time on the moderation page. The demo's
// local relay is the platform's indexer, where members' profiles are found. Screenshots land in
// test-artifacts/screenshots/.
import assert from 'node:assert/strict';
import { test } from '@playwright/test';
import WebSocket from 'ws';
import { npubEncode } from 'nostr-tools/nip19';
import { finalizeEvent } from 'nostr-tools/pure';
import { SimplePool, useWebSocketImplementation } from 'nostr-tools/pool';
import { apiCall, checked as settle, confirmDialog, contextFor, newUser, noSidewaysScroll, screenshot, startBackend, startZooidStandIn, waitFor, signIn as signInAt, toastText } from './harness.mjs';

test.describe.configure({ mode: 'serial' });

const owner = newUser();
const coAdmin = newUser();
const friend = newUser();
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const short = (pubkey) => npubEncode(pubkey).slice(0, 12);
const axeFindings = [];

let zooid, indexer, backend, browser, ctx, page, coCtx, co;
let relayId = '';

const call = (user, method, path, body) => apiCall(backend.url, user, method, path, body);
const signIn = (p, next) => signInAt(p, backend.url, next);
const checked = (p, name) => settle(p, name, axeFindings);




const membersCount = (p, text) => p.getByTestId('members-count').filter({ hasText: text }).waitFor();

test.beforeAll(async ({ browser: b }) => {
	const { startRelay } = await import('../demo/relay.mjs');
	indexer = await startRelay();
	zooid = await startZooidStandIn();
	backend = await startBackend({ env: { ...zooid.env, MEMBERS_RECOUNT_SECS: '1', ROBOT_INDEXER_RELAYS: indexer.url } });
	browser = b;
	ctx = await contextFor(browser, owner);
	page = await ctx.newPage();
	const created = await call(owner, 'POST', '/api/relays', { name: 'Harbour Folk', subdomain: 'harbour-folk', plan: 'free' });
	assert.equal(created.status, 201, JSON.stringify(created.body));
	relayId = created.body.id;
	await signIn(page, '/relays');
});

// eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures from this pattern
test.afterEach(async ({}, info) => {
	if (info.status === info.expectedStatus || !browser) return;
	const name = `failure-community-${info.title.replace(/\W+/g, '-').slice(0, 50)}`;
	for (const [i, p] of browser.contexts().flatMap((c) => c.pages()).entries()) await screenshot(p, `${name}-${i}`).catch(() => {});
});

test.afterAll(async () => {
	await coCtx?.close();
	await ctx?.close();
	await backend?.stop();
	await zooid?.stop();
	indexer?.close();
});

test('the relay page counts its members against the plan and leads to them', async () => {
	// The member watcher reads the new relay's list within a second or two of it going live.
	await waitFor(async () => {
		await page.goto(`${backend.url}/relays/${relayId}`);
		const count = page.getByTestId('member-count');
		await count.waitFor();
		return (await count.textContent()) === '1 of 10 members';
	}, 'the relay page to show "1 of 10 members"', 30000);
	await checked(page, 'relay-community');
	await page.getByTestId('member-count').click();
	await waitFor(() => new URL(page.url()).pathname === `/relays/${relayId}/members`, 'the members page');
	await membersCount(page, '1 of 10 members');
	await page.getByRole('heading', { level: 1, name: 'Members of Harbour Folk' }).waitFor();
	// The owner is listed with their role, set apart from the words after it, and cannot be removed.
	const ownerRow = page.getByTestId('member-row').filter({ hasText: short(owner.pubkey) });
	assert.match(await ownerRow.textContent(), /Role: owner\s+joined /);
	assert.equal(await ownerRow.getByRole('button', { name: /^Remove/ }).count(), 0);
});

/** Publishes `user`'s kind-0 profile to the platform's indexer relay. */
async function publishProfile(user, content) {
	useWebSocketImplementation(WebSocket);
	const pool = new SimplePool();
	const event = finalizeEvent({ kind: 0, created_at: Math.floor(Date.now() / 1000), tags: [], content: JSON.stringify(content) }, user.sk);
	await Promise.any(pool.publish([indexer.url], event));
	pool.close([indexer.url]);
}

test('add a member by npub; a key the server refuses is explained at the field', async () => {
	await publishProfile(friend, { name: 'grace', display_name: 'Grace Hopper', picture: `${backend.url}/favicon.svg` });
	const field = page.getByLabel('Public key to add');
	await field.fill('npub1notakey');
	await page.getByRole('button', { name: 'Add member' }).click();
	await page.locator('#member-key-help.error-text').filter({ hasText: /public key/i }).waitFor();
	assert.equal(await field.getAttribute('aria-invalid'), 'true');
	await field.fill(npubEncode(friend.pubkey));
	assert.equal(await field.getAttribute('aria-invalid'), 'false', 'typing clears the error');
	await page.getByRole('button', { name: 'Add member' }).click();
	await toastText(page, 'Member added.');
	await membersCount(page, '2 of 10 members');
	const row = page.getByTestId('member-row').filter({ hasText: short(friend.pubkey) });
	assert.match(await row.textContent(), /Role: member\s+joined /);
	// Their name and picture come from the platform's indexer relay.
	await row.getByTestId('member-name').filter({ hasText: 'Grace Hopper' }).waitFor();
	assert.equal(await row.locator('img').getAttribute('src'), `${backend.url}/favicon.svg`);
	// Adding the same key again changes nothing and says so.
	await field.fill(friend.pubkey);
	await page.getByRole('button', { name: 'Add member' }).click();
	await toastText(page, 'Already a member.');
	await membersCount(page, '2 of 10 members');
	await checked(page, 'relay-members');
	// The count is read from the relay itself, as the relay's list has it.
	const read = await call(owner, 'GET', `/api/relays/${relayId}/members`);
	assert.deepEqual(read.body.items.map((m) => m.pubkey).sort(), [owner.pubkey, friend.pubkey].sort());
});

test('remove a member after confirming', async () => {
	const passing = newUser();
	assert.equal((await call(owner, 'POST', `/api/relays/${relayId}/members`, { pubkey: passing.pubkey })).status, 201);
	await page.reload();
	await membersCount(page, '3 of 10 members');
	await page.getByTestId('member-row').filter({ hasText: short(passing.pubkey) }).getByRole('button', { name: /^Remove/ }).click();
	await confirmDialog(page, 'Remove member');
	await toastText(page, 'Member removed.');
	await membersCount(page, '2 of 10 members');
	assert.equal(await page.getByTestId('member-row').filter({ hasText: short(passing.pubkey) }).count(), 0);
});

test('community switches save together; one the plan lacks is off and names the plan that has it', async () => {
	await page.goto(`${backend.url}/relays/${relayId}`);
	const settings = page.getByTestId('community-settings');
	await settings.waitFor();
	// The free plan has no media or rooms: Basic is the cheapest plan with them.
	const media = settings.getByRole('switch', { name: 'Media uploads' });
	assert.equal(await media.isDisabled(), true);
	assert.equal(await media.isChecked(), false);
	await settings.getByTestId('switch-blossom').getByText('Included in Basic').waitFor();
	await settings.getByTestId('switch-livekit').getByText('Included in Basic').waitFor();
	// Stripping signatures is explained as the loss it is.
	await settings.getByTestId('switch-strip_signatures').getByText('clients can no longer verify who wrote what').waitFor();
	await settings.getByRole('switch', { name: 'Open to everyone' }).check();
	await settings.getByRole('switch', { name: 'Strip signatures' }).check();
	await settings.getByRole('switch', { name: 'Groups' }).uncheck();
	await settings.getByRole('button', { name: 'Save settings' }).click();
	await toastText(page, 'Community settings saved.');
	const stored = (await call(owner, 'GET', `/api/relays/${relayId}`)).body.policies;
	// Every switch was sent; the media and rooms choices are kept as they were for an upgrade.
	assert.deepEqual(stored, { public_join: true, members_may_invite: false, groups: false, push: false, blossom: true, blossom_members_read: true, livekit: true, strip_signatures: true });
	await page.reload();
	assert.equal(await settings.getByRole('switch', { name: 'Open to everyone' }).isChecked(), true);
	assert.equal(await settings.getByRole('switch', { name: 'Groups' }).isChecked(), false);
	// The server's refusal is shown with its own words.
	await page.route(`**/api/relays/${relayId}/policies`, (r) =>
		r.fulfill({ status: 409, json: { error: { code: 'relay/feature-not-in-plan', message: 'Media uploads come with the Basic plan.' } } }),
	);
	try {
		await settings.getByRole('button', { name: 'Save settings' }).click();
		await toastText(page, 'Media uploads come with the Basic plan.');
	} finally {
		await page.unroute(`**/api/relays/${relayId}/policies`);
	}
	// Back to the defaults, so the relay does not serve stripped events to the tests after this.
	await settings.getByRole('switch', { name: 'Strip signatures' }).uncheck();
	await settings.getByRole('switch', { name: 'Open to everyone' }).uncheck();
	await settings.getByRole('switch', { name: 'Groups' }).check();
	await settings.getByRole('button', { name: 'Save settings' }).click();
	await toastText(page, 'Community settings saved.');
});

test('the owner appoints a co-admin, who manages the members from their own session', async () => {
	await page.goto(`${backend.url}/relays/${relayId}/members`);
	const roles = page.getByTestId('roles');
	await roles.getByText('Nobody holds a role yet.').waitFor();
	// The owner's own role is fixed: the server says so at the field.
	await roles.getByLabel('Public key to appoint').fill(npubEncode(owner.pubkey));
	await roles.getByRole('button', { name: 'Appoint' }).click();
	await roles.locator('#role-key-help.error-text').filter({ hasText: /owner/i }).waitFor();
	await roles.getByLabel('Public key to appoint').fill(npubEncode(coAdmin.pubkey));
	await roles.getByLabel('Role').selectOption('admin');
	await roles.getByRole('button', { name: 'Appoint' }).click();
	await toastText(page, 'Co-admin appointed.');
	const held = roles.getByTestId('role-row').filter({ hasText: short(coAdmin.pubkey) });
	assert.match(await held.textContent(), /Role: co-admin\s+since /);
	await checked(page, 'relay-roles');

	coCtx = await contextFor(browser, coAdmin);
	co = await coCtx.newPage();
	await signIn(co, `/relays/${relayId}/members`);
	await co.getByTestId('members-count').waitFor();
	// The relay itself stays the owner's: no way back to it, no appointing.
	assert.equal(await co.getByRole('link', { name: '← Back to the relay' }).count(), 0);
	await co.getByTestId('roles').getByText('Only the owner appoints co-admins and inviters.').waitFor();
	assert.equal(await co.getByLabel('Public key to appoint').count(), 0);
	const before = (await call(coAdmin, 'GET', `/api/relays/${relayId}/members`)).body.count;
	const guest = newUser();
	await co.getByLabel('Public key to add').fill(guest.pubkey);
	await co.getByRole('button', { name: 'Add member' }).click();
	await toastText(co, 'Member added.');
	await membersCount(co, `${before + 1} of 10 members`);
	await co.getByTestId('member-row').filter({ hasText: short(guest.pubkey) }).waitFor();
	await checked(co, 'relay-members-coadmin');
	// The owner sees the co-admin's addition.
	await page.reload();
	await page.getByTestId('member-row').filter({ hasText: short(guest.pubkey) }).waitFor();
});

test('a full relay says so and how to make room', async () => {
	const { count } = (await call(owner, 'GET', `/api/relays/${relayId}/members`)).body;
	for (let i = count; i < 10; i++) assert.equal((await call(owner, 'POST', `/api/relays/${relayId}/members`, { pubkey: newUser().pubkey })).status, 201);
	await page.goto(`${backend.url}/relays/${relayId}/members`);
	await membersCount(page, '10 of 10 members');
	const full = page.getByTestId('members-full');
	await full.getByText('The relay is full.').waitFor();
	await full.getByText(/Upgrade to Basic \(up to 100 members\) or remove members/).waitFor();
	assert.equal(await full.getByRole('link', { name: 'Change plan' }).getAttribute('href'), `/relays/${relayId}/edit#plan`);
	assert.equal(await page.getByRole('button', { name: 'Add member' }).isDisabled(), true);
	await checked(page, 'relay-members-full');
	// The co-admin is told to ask the owner, without a plan link that is not theirs.
	await co.reload();
	await co.getByTestId('members-full').getByText(/The owner can upgrade to Basic/).waitFor();
	assert.equal(await co.getByTestId('members-full').getByRole('link').count(), 0);
	// Removing one makes room again.
	await page.getByTestId('member-row').filter({ hasText: 'Role: member' }).last().getByRole('button', { name: /^Remove/ }).click();
	await confirmDialog(page, 'Remove member');
	await membersCount(page, '9 of 10 members');
	assert.equal(await page.getByTestId('members-full').count(), 0);
	assert.equal(await page.getByRole('button', { name: 'Add member' }).isDisabled(), false);
});

test('when the relay does not answer, the members page says so and tries again', async () => {
	const path = `**/api/relays/${relayId}/members`;
	await page.route(path, (r) =>
		r.request().method() === 'GET'
			? r.fulfill({ status: 503, headers: { 'Retry-After': '5' }, json: { error: { code: 'relay/unreachable', message: 'The relay did not answer in time.' } } })
			: r.continue(),
	);
	try {
		await page.goto(`${backend.url}/relays/${relayId}/members`);
		const state = page.getByTestId('members-unavailable');
		await state.getByText('The relay did not answer just now.').waitFor();
		await state.getByText('Try again in 5 seconds.').waitFor();
		await checked(page, 'relay-members-unreachable');
		await page.unroute(path);
		await page.route(path, (r) => r.fulfill({ status: 502, json: { error: { code: 'relay/refused', message: 'The relay refused: blocked: not allowed' } } }));
		await state.getByRole('button', { name: 'Try again' }).click();
		await state.getByText('The relay refused to list its members.').waitFor();
		await state.getByText('blocked: not allowed').waitFor();
		await page.unroute(path);
		await state.getByRole('button', { name: 'Try again' }).click();
		await membersCount(page, '9 of 10 members');
	} finally {
		await page.unrouteAll();
	}
});

/** Publishes `events` to the stand-in's relay as `user` over one connection, answering its NIP-42 AUTH. */
async function publishAll(user, events) {
	useWebSocketImplementation(WebSocket);
	const pool = new SimplePool();
	try {
		for (const event of events) await Promise.any(pool.publish([zooid.relayUrl], event, { onauth: async (t) => finalizeEvent(t, user.sk) }));
	} finally {
		pool.close([zooid.relayUrl]);
	}
}

test('the moderation page loads older reports a page at a time, each shown once', async () => {
	// Sixty reports (kind 1984) a minute apart, newest first: more than the page of 50.
	const spammer = newUser();
	const now = Math.floor(Date.now() / 1000);
	const reports = Array.from({ length: 60 }, (_, i) =>
		finalizeEvent({ kind: 1984, created_at: now - 5 - i * 60, tags: [['p', spammer.pubkey, 'spam']], content: `Report ${i + 1} of 60` }, friend.sk),
	);
	await publishAll(friend, reports);

	await page.goto(`${backend.url}/relays/${relayId}/moderation`);
	await page.getByRole('heading', { level: 1, name: 'Moderation of Harbour Folk' }).waitFor();
	const section = page.getByTestId('reports');
	const rows = section.getByTestId('report-row');
	await rows.first().waitFor();
	const shown = () => rows.locator('.text').allTextContents();
	assert.deepEqual(await shown(), reports.slice(0, 50).map((r) => r.content));
	const more = section.getByRole('button', { name: 'Load more reports' });
	const status = section.getByTestId('reports-more-status');
	const older = (u) => u.pathname === `/api/relays/${relayId}/reports` && u.searchParams.has('until');

	// The server's refusal is shown as the page shows others; nothing is added and the button stays.
	await page.route(older, (r) => r.fulfill({ status: 503, json: { error: { code: 'relay/unreachable', message: 'The relay did not answer in time.' } } }));
	try {
		await more.click();
		await toastText(page, 'The relay did not answer in time.');
	} finally {
		await page.unroute(older);
	}
	assert.equal(await rows.count(), 50);
	assert.equal(await more.isVisible(), true);

	// Busy while the next page is on its way; it is asked for before the oldest one shown.
	let release = () => {};
	const held = new Promise((r) => (release = r));
	const asked = [];
	await page.route(older, async (r) => {
		asked.push(new URL(r.request().url()));
		await held;
		await r.continue();
	});
	try {
		await more.click();
		await status.filter({ hasText: 'Loading older reports…' }).waitFor();
		assert.equal(await section.locator('ul.rows').getAttribute('aria-busy'), 'true');
		assert.equal(await more.getAttribute('aria-disabled'), 'true');
		release();
		await status.filter({ hasText: '10 older reports added. No older reports.' }).waitFor();
	} finally {
		release();
		await page.unroute(older);
	}
	assert.equal(asked.length, 1);
	assert.equal(asked[0].searchParams.get('until'), String(reports[49].created_at));
	assert.equal(asked[0].searchParams.get('limit'), '50');
	// The relay counts `until` inclusively, so report 50 came back again: it is listed once.
	assert.deepEqual(await shown(), reports.map((r) => r.content));
	assert.equal(await more.count(), 0, 'a short page was the last: no button');
	assert.notEqual(await section.locator('ul.rows').getAttribute('aria-busy'), 'true');
	// The keyboard's focus moved on to the first report added.
	assert.match(await page.evaluate(() => document.activeElement?.textContent ?? ''), /Report 51 of 60/);
	await checked(page, 'relay-moderation-more');
});

test('the community pages fit a phone screen without sideways scrolling', async () => {
	const c = await contextFor(browser, owner, PHONE);
	const p = await c.newPage();
	try {
		await signIn(p, `/relays/${relayId}`);
		await noSidewaysScroll(p, backend.url, `/relays/${relayId}`);
		await p.getByTestId('community-settings').waitFor();
		await screenshot(p, 'relay-community-phone');
		await noSidewaysScroll(p, backend.url, `/relays/${relayId}/members`);
		await p.getByTestId('member-row').first().waitFor();
		await checked(p, 'relay-members-phone');
	} finally {
		await c.close();
	}
	const cp = await contextFor(browser, coAdmin, PHONE);
	const q = await cp.newPage();
	try {
		await signIn(q, `/relays/${relayId}/members`);
		await noSidewaysScroll(q, backend.url, `/relays/${relayId}/members`);
	} finally {
		await cp.close();
	}
});

test('accessibility: axe-core finds no serious or critical violations on the community pages', async () => {
	const lines = axeFindings.flatMap((f) => f.violations.map((v) => `${f.page}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.join(', ')}`));
	assert.deepEqual(lines, []);
});
