// Invites, joining, moderation and export in Chromium against the real backend provisioning to
// the zooid stand-in: the owner makes an invite link, someone else opens it, signs in and joins;
// a revoked link says so; a member's report reaches the moderation page; banning and lifting a
// key; exporting the relay's events; the relays a co-admin helps run; the admin's member column.
// Screenshots land in test-artifacts/screenshots/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from '@playwright/test';
import WebSocket from 'ws';
import { npubEncode } from 'nostr-tools/nip19';
import { finalizeEvent } from 'nostr-tools/pure';
import { SimplePool, useWebSocketImplementation } from 'nostr-tools/pool';
import { apiCall, checked as settle, confirmDialog, contextFor, newUser, noSidewaysScroll, screenshot, startBackend, startZooidStandIn, waitFor, signIn as signInAt, toastText } from './harness.mjs';

test.describe.configure({ mode: 'serial' });

const owner = newUser();
const joiner = newUser();
const troll = newUser();
const admin = newUser();
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const short = (pubkey) => npubEncode(pubkey).slice(0, 12);
const axeFindings = [];

let zooid, backend, browser, ctx, page;
let relay = null;

const call = (user, method, path, body) => apiCall(backend.url, user, method, path, body);
const signIn = (p, next) => signInAt(p, backend.url, next);
const checked = (p, name) => settle(p, name, axeFindings);





test.beforeAll(async ({ browser: b }) => {
	zooid = await startZooidStandIn();
	backend = await startBackend({ admins: [admin.pubkey], env: { ...zooid.env, MEMBERS_RECOUNT_SECS: '1' } });
	browser = b;
	ctx = await contextFor(browser, owner);
	page = await ctx.newPage();
	const created = await call(owner, 'POST', '/api/relays', { name: 'Lantern Club', subdomain: 'lantern-club', plan: 'free', description: 'Night walks and lamps.' });
	assert.equal(created.status, 201, JSON.stringify(created.body));
	relay = created.body;
	// The relay is live once the stand-in has it and the member watcher has counted its owner.
	await waitFor(async () => (await call(owner, 'GET', `/api/relays/${relay.id}`)).body?.member_count === 1, 'the relay to be live and counted', 30000);
	await signIn(page, `/relays/${relay.id}/members`);
});

// eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures from this pattern
test.afterEach(async ({}, info) => {
	if (info.status === info.expectedStatus || !browser) return;
	const name = `failure-invites-${info.title.replace(/\W+/g, '-').slice(0, 50)}`;
	for (const [i, p] of browser.contexts().flatMap((c) => c.pages()).entries()) await screenshot(p, `${name}-${i}`).catch(() => {});
});

test.afterAll(async () => {
	await ctx?.close();
	await backend?.stop();
	await zooid?.stop();
});

let link = '';

test('the owner makes an invite link and sees it listed, ready to copy', async () => {
	await page.goto(`${backend.url}/relays/${relay.id}/members`);
	const section = page.getByTestId('invites');
	await section.getByText('No invite links yet.').waitFor();
	await section.getByLabel('Works for').selectOption({ label: '30 days' });
	await section.getByLabel('Most people (optional)').fill('0');
	await section.getByRole('button', { name: 'Make invite link' }).click();
	await section.getByText('A whole number of people, at least 1').waitFor();
	await section.getByLabel('Most people (optional)').fill('5');
	await section.getByRole('button', { name: 'Make invite link' }).click();
	await toastText(page, 'Invite link made');
	const row = section.getByTestId('invite-row').first();
	link = (await row.getByTestId('invite-link').textContent()).trim();
	assert.match(link, /\/join\/[\w-]+$/);
	assert.match(await row.textContent(), /State: active\s+0 of 5 used\s+until /);
	await row.getByRole('button', { name: 'Copy link' }).waitFor();
	// 30 days from now, give or take a day either side for time zones.
	const listed = (await call(owner, 'GET', `/api/relays/${relay.id}/invites`)).body.items[0];
	assert.equal(listed.link, link);
	assert.ok(Math.abs(listed.expires_at - (Date.now() / 1000 + 30 * 86400)) < 120, `expires_at ${listed.expires_at}`);
	await checked(page, 'relay-invites');
});

test('someone opens the link, signs in and joins; the owner then lists them', async () => {
	const jctx = await contextFor(browser, joiner);
	const j = await jctx.newPage();
	try {
		const path = new URL(link).pathname;
		await j.goto(`${backend.url}${path}`);
		await j.getByRole('heading', { level: 1, name: 'Lantern Club' }).waitFor();
		await j.getByText('Night walks and lamps.').waitFor();
		assert.match(await j.getByTestId('join-state').textContent(), /Invite: active\s+works until/);
		await checked(j, 'join-preview');
		await j.getByRole('link', { name: 'Sign in and join' }).click();
		await j.getByRole('button', { name: 'Sign in with extension' }).click();
		const success = j.getByTestId('join-success');
		await success.waitFor();
		assert.match(await success.textContent(), /You are a member now\./);
		assert.equal((await j.getByTestId('joined-url').textContent()).trim(), relay.url);
		await checked(j, 'join-success');
	} finally {
		await jctx.close();
	}
	await page.goto(`${backend.url}/relays/${relay.id}/members`);
	await page.getByTestId('member-row').filter({ hasText: short(joiner.pubkey) }).waitFor();
	assert.match(await page.getByTestId('invite-row').first().textContent(), /1 of 5 used/);
});

test('a revoked link says so, and so does one that never existed', async () => {
	const section = page.getByTestId('invites');
	await section.getByRole('button', { name: 'Make invite link' }).click();
	await toastText(page, 'Invite link made');
	const row = section.getByTestId('invite-row').first();
	const second = (await row.getByTestId('invite-link').textContent()).trim();
	assert.notEqual(second, link);
	await row.getByRole('button', { name: /^Revoke/ }).click();
	await confirmDialog(page, 'Revoke');
	await toastText(page, 'Invite revoked.');
	assert.match(await section.getByTestId('invite-row').first().textContent(), /State: revoked/);

	const octx = await contextFor(browser, null);
	const o = await octx.newPage();
	try {
		await o.goto(`${backend.url}${new URL(second).pathname}`);
		await o.getByTestId('join-refusal').filter({ hasText: 'This invite link was revoked.' }).waitFor();
		assert.equal(await o.getByRole('link', { name: 'Sign in and join' }).count(), 0);
		await checked(o, 'join-revoked');
		await o.goto(`${backend.url}/join/not-a-real-code`);
		await o.getByTestId('join-refusal').filter({ hasText: 'does not exist' }).waitFor();
	} finally {
		await octx.close();
	}
});

test('a link with no limit also shows the code that apps joining the relay directly accept', async () => {
	const section = page.getByTestId('invites');
	const before = await section.getByTestId('invite-row').count();
	await section.getByRole('button', { name: 'Make invite link' }).click();
	await waitFor(async () => (await section.getByTestId('invite-row').count()) === before + 1, 'the new invite to be listed');
	const made = (await section.getByTestId('invite-link').first().textContent()).trim();
	const code = made.split('/join/')[1];
	// The platform makes the claim at the relay in the background; the page shows it once made.
	await waitFor(async () => {
		await page.reload();
		await section.getByTestId('invite-row').first().waitFor();
		return (await page.getByTestId('invite-claim').count()) > 0;
	}, 'the invite to be a claim at the relay', 20000);
	const row = section.getByTestId('invite-row').first();
	assert.equal((await row.getByTestId('invite-claim').textContent()).replace('Code for apps:', '').trim(), code);
	await row.getByRole('button', { name: 'Copy code' }).waitFor();
	await checked(page, 'relay-invite-claim');
});

/** Publishes `event` to the relay as `user`, answering its NIP-42 AUTH challenge. */
async function publishToRelay(user, event) {
	useWebSocketImplementation(WebSocket);
	const pool = new SimplePool();
	try {
		await Promise.any(pool.publish([zooid.relayUrl], event, { onauth: async (t) => finalizeEvent(t, user.sk) }));
	} catch (e) {
		throw new Error(`publishing to ${zooid.relayUrl} (relay.url ${relay.url}): ${e.errors?.map(String).join('; ') ?? e}`);
	} finally {
		pool.close([zooid.relayUrl]);
	}
}

test('a member reports a note; the owner removes it and bans its author, then lifts the ban', async () => {
	// The troll joins and posts; the member who joined reports the post (kind 1984).
	assert.ok([200, 201].includes((await call(owner, 'POST', `/api/relays/${relay.id}/members`, { pubkey: troll.pubkey })).status));
	const note = finalizeEvent({ kind: 1, created_at: Math.floor(Date.now() / 1000), tags: [], content: 'buy my coins' }, troll.sk);
	await publishToRelay(troll, note);
	const report = finalizeEvent(
		{ kind: 1984, created_at: Math.floor(Date.now() / 1000), tags: [['e', note.id, 'spam'], ['p', troll.pubkey]], content: 'Spam in the lamps thread' },
		joiner.sk,
	);
	await publishToRelay(joiner, report);

	await page.goto(`${backend.url}/relays/${relay.id}/moderation`);
	await page.getByRole('heading', { level: 1, name: 'Moderation of Lantern Club' }).waitFor();
	const row = page.getByTestId('report-row').filter({ hasText: 'Spam in the lamps thread' });
	await row.waitFor();
	assert.match(await row.textContent(), new RegExp(`From\\s+${short(joiner.pubkey)}`));
	assert.match(await row.textContent(), /as spam/);
	await checked(page, 'relay-moderation');

	await row.getByRole('button', { name: 'Remove event' }).click();
	await confirmDialog(page, 'Remove event', 'spam');
	await toastText(page, 'Event removed.');
	await page.getByTestId('banned-event').filter({ hasText: 'spam' }).waitFor();

	await row.getByRole('button', { name: 'Ban author' }).click();
	const dialog = page.getByRole('dialog');
	await dialog.getByText('Deleted events cannot be brought back').waitFor();
	await confirmDialog(page, 'Ban author', 'selling coins');
	await toastText(page, 'Banned.');
	const banned = page.getByTestId('banned-pubkey').filter({ hasText: short(troll.pubkey) });
	await banned.waitFor();
	assert.match(await banned.textContent(), /selling coins/);
	await banned.getByRole('button', { name: /^Lift/ }).click();
	await confirmDialog(page, 'Lift ban', 'said sorry');
	await toastText(page, 'Ban lifted.');
	await banned.waitFor({ state: 'detached' });
});

test('ban a key typed in, with a reason; a bad key is explained at the field', async () => {
	const field = page.getByLabel('Public key to ban');
	await field.fill('npub1nope');
	await page.getByRole('button', { name: 'Ban…' }).click();
	await page.locator('#ban-key-help.error-text').filter({ hasText: 'Paste their npub or hex public key.' }).waitFor();
	assert.equal(await field.getAttribute('aria-invalid'), 'true');
	assert.equal(await page.getByRole('dialog').count(), 0, 'no reason is asked for a key that is not one');
	const stranger = newUser();
	await field.fill(npubEncode(stranger.pubkey));
	await page.getByRole('button', { name: 'Ban…' }).click();
	await confirmDialog(page, 'Ban author', 'known spammer');
	await page.getByTestId('banned-pubkey').filter({ hasText: short(stranger.pubkey) }).filter({ hasText: 'known spammer' }).waitFor();
	const bans = (await call(owner, 'GET', `/api/relays/${relay.id}/bans`)).body;
	assert.deepEqual(bans.pubkeys.map((b) => b.id), [stranger.pubkey]);
});

test('export streams the relay’s events into a .jsonl download, counting them', async () => {
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export events' }).click()]);
	assert.match(download.suggestedFilename(), /^lantern-club-\d{4}-\d{2}-\d{2}\.jsonl$/);
	const lines = readFileSync(await download.path(), 'utf8').split('\n').filter(Boolean);
	assert.ok(lines.length > 0, 'the export has events');
	for (const l of lines) assert.equal(typeof JSON.parse(l).id, 'string');
	const n = lines.length;
	await page.getByTestId('export-progress').filter({ hasText: `${n.toLocaleString('en-US')} ${n === 1 ? 'event' : 'events'}, saved.` }).waitFor();
});

test('a co-admin finds the relays they help run on their relays page', async () => {
	assert.equal((await call(owner, 'PUT', `/api/relays/${relay.id}/roles/${joiner.pubkey}`, { role: 'admin' })).status, 200);
	const jctx = await contextFor(browser, joiner);
	const j = await jctx.newPage();
	try {
		await signIn(j, '/relays');
		const held = j.getByTestId('held-row').filter({ hasText: 'Lantern Club' });
		await held.waitFor();
		assert.match(await held.textContent(), /Your role: co-admin/);
		await checked(j, 'relays-held');
		await held.getByRole('link', { name: 'Lantern Club' }).click();
		await j.getByTestId('members-count').waitFor();
		assert.equal(new URL(j.url()).pathname, `/relays/${relay.id}/members`);
	} finally {
		await jctx.close();
	}
});

test('an inviter makes invite links from their own page and sees only their own', async () => {
	const inviter = newUser();
	assert.equal((await call(owner, 'PUT', `/api/relays/${relay.id}/roles/${inviter.pubkey}`, { role: 'inviter' })).status, 200);
	const ictx = await contextFor(browser, inviter);
	const i = await ictx.newPage();
	try {
		await signIn(i, '/relays');
		const held = i.getByTestId('held-row').filter({ hasText: 'Lantern Club' });
		await held.waitFor();
		assert.match(await held.textContent(), /Your role: inviter/);
		await held.getByRole('link', { name: 'Lantern Club' }).click();
		await i.getByRole('heading', { level: 1, name: 'Invites to Lantern Club' }).waitFor();
		assert.equal(new URL(i.url()).pathname, `/relays/${relay.id}/invites`);
		const section = i.getByTestId('invites');
		await section.getByText('No invite links yet.').waitFor();
		await section.getByRole('button', { name: 'Make invite link' }).click();
		await section.getByTestId('invite-row').first().waitFor();
		assert.equal(await section.getByTestId('invite-row').count(), 1, 'the owner’s invites are not shown to an inviter');
		await checked(i, 'invites-inviter');
	} finally {
		await ictx.close();
	}
});

test('the admin relay list shows members against the limit and filters relays over it', async () => {
	const actx = await contextFor(browser, admin);
	const a = await actx.newPage();
	try {
		await signIn(a, '/admin/relays');
		const row = a.getByTestId('relay-row').filter({ hasText: 'Lantern Club' });
		await waitFor(async () => /^\d+ \/ 10/.test((await row.getByTestId('relay-members').textContent()).trim()), 'the members column');
		await checked(a, 'admin-relays-members');
		await a.getByLabel('Members').selectOption({ label: 'Over limit' });
		await waitFor(() => new URL(a.url()).searchParams.get('over') === 'true', 'the filter in the URL');
		await a.getByText('No relays match these filters.').waitFor();
	} finally {
		await actx.close();
	}
});

test('the new pages fit a phone screen without sideways scrolling', async () => {
	const c = await contextFor(browser, owner, PHONE);
	const p = await c.newPage();
	try {
		await signIn(p, `/relays/${relay.id}/members`);
		await noSidewaysScroll(p, backend.url, `/relays/${relay.id}/members`);
		await p.getByTestId('invite-row').first().waitFor();
		await screenshot(p, 'relay-invites-phone');
		await noSidewaysScroll(p, backend.url, `/relays/${relay.id}/moderation`);
		await checked(p, 'relay-moderation-phone');
		await noSidewaysScroll(p, backend.url, new URL(link).pathname);
		await checked(p, 'join-phone');
	} finally {
		await c.close();
	}
});

test('accessibility: axe-core finds no serious or critical violations on the new pages', async () => {
	const lines = axeFindings.flatMap((f) => f.violations.map((v) => `${f.page}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.join(', ')}`));
	assert.deepEqual(lines, []);
});
