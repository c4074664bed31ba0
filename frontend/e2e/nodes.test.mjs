// The zooid fleet in Chromium against the real backend: the settings' node `main` on one zooid
// stand-in, a second node added through the admin page on a second stand-in (its own API key),
// drained and made active again, a relay moved to it, and a tenant refused a relay when no node
// takes one (the admin sees the refusal counted). Screenshots land in test-artifacts/screenshots/.
import assert from 'node:assert/strict';
import { test } from '@playwright/test';
import { apiCall, checked as settle, confirmDialog, contextFor, newUser, noSidewaysScroll, screenshot, startBackend, startZooidStandIn, signIn as signInAt, toastText } from './harness.mjs';

test.describe.configure({ mode: 'serial' });

const admin = newUser();
const tenant = newUser();
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const axeFindings = [];

let zooid, second, backend, browser, ctx, page;
let relayId = '';

const call = (user, method, path, body) => apiCall(backend.url, user, method, path, body);
const signIn = (p, next) => signInAt(p, backend.url, next);
const checked = (p, name) => settle(p, name, axeFindings);
/** `ws://127.0.0.1:PORT` → `127.0.0.1:PORT`, the upstream the proxy would use. */
const addressOf = (relayUrl) => new URL(relayUrl).host;




const nodeRow = (p, id) => p.getByTestId('node-row').filter({ has: p.getByTestId('node-id').filter({ hasText: new RegExp(`^${id}$`) }) });
/** Text in a node's row as shown at this width (a phone shows the upstream and API under the id instead). */
const shown = (row, text) => row.getByText(text).filter({ visible: true }).first();
const nodeState = (p, id, state) => nodeRow(p, id).getByTestId('node-state').filter({ hasText: state }).waitFor();

/** Opens a node's editor, sets its state and saves; `confirm` is the dialog's button, if one is asked. */
async function setState(p, id, state, confirm) {
	await nodeRow(p, id).getByRole('button', { name: `Edit ${id}` }).click();
	const form = p.getByRole('form', { name: `Change ${id}` });
	await form.getByLabel('State').selectOption(state);
	await form.getByRole('button', { name: 'Save changes' }).click();
	if (confirm) await confirmDialog(p, confirm);
	await toastText(p, `Node ${id} saved.`);
	await nodeState(p, id, state);
}

test.beforeAll(async ({ browser: b }) => {
	zooid = await startZooidStandIn();
	second = await startZooidStandIn();
	backend = await startBackend({ admins: [admin.pubkey], env: { ...zooid.env, ZOOID_UPSTREAM: addressOf(zooid.relayUrl) } });
	browser = b;
	const created = await call(tenant, 'POST', '/api/relays', { name: 'Moving Day', subdomain: 'moving-day', plan: 'free' });
	assert.equal(created.status, 201, JSON.stringify(created.body));
	relayId = created.body.id;
	ctx = await contextFor(browser, admin);
	page = await ctx.newPage();
	await signIn(page, '/admin/nodes');
});

// eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures from this pattern
test.afterEach(async ({}, info) => {
	if (info.status === info.expectedStatus || !browser) return;
	const name = `failure-nodes-${info.title.replace(/\W+/g, '-').slice(0, 50)}`;
	for (const [i, p] of browser.contexts().flatMap((c) => c.pages()).entries()) await screenshot(p, `${name}-${i}`).catch(() => {});
});

test.afterAll(async () => {
	await ctx?.close();
	await backend?.stop();
	await second?.stop();
	await zooid?.stop();
});

test('the admin sees the settings’ node with its relay, health, upstream and API', async () => {
	await page.goto(`${backend.url}/admin/nodes`);
	await page.getByRole('heading', { level: 1, name: 'Nodes' }).waitFor();
	assert.equal(await page.getByRole('navigation', { name: 'Admin', exact: true }).getByRole('link', { name: 'Nodes' }).getAttribute('aria-current'), 'page');
	const main = nodeRow(page, 'main');
	await nodeState(page, 'main', 'active');
	// The relay created above was placed on it (the default capacity is a million).
	await main.getByTestId('node-usage').filter({ hasText: /^1 \/ 1,?000,?000$/ }).waitFor();
	await main.getByTestId('node-health').getByText('healthy').waitFor();
	await shown(main, addressOf(zooid.relayUrl)).waitFor();
	await shown(main, zooid.apiUrl.replace(/\/$/, '')).waitFor();
	await shown(main, 'shared key').waitFor();
	// Nothing has been refused yet.
	assert.equal(await page.getByTestId('refused-banner').count(), 0);
	await checked(page, 'admin-nodes');
});

test('add a second node with its own API key; a taken id is refused at its field', async () => {
	const add = page.getByRole('region', { name: 'Add a node' });
	assert.equal(await add.getByLabel('API secret').getAttribute('type'), 'password');
	await add.getByLabel('Id', { exact: true }).fill('main');
	await add.getByLabel('Capacity').fill('5');
	await add.getByLabel('Upstream').fill(addressOf(second.relayUrl));
	await add.getByLabel('API URL').fill(second.apiUrl);
	await add.getByLabel('API secret').fill(second.env.ZOOID_API_SECRET);
	await add.getByRole('button', { name: 'Add node' }).click();
	await add.locator('#node-id-help.error-text').filter({ hasText: /already/ }).waitFor();
	assert.equal(await add.getByLabel('Id', { exact: true }).getAttribute('aria-invalid'), 'true');
	// The page knew; the server says the same when asked.
	const again = await call(admin, 'POST', '/api/nodes', { id: 'main', upstream: addressOf(second.relayUrl), capacity: 5, api_url: second.apiUrl });
	assert.equal(again.status, 409);
	assert.equal(again.body.error.code, 'node/exists');

	await add.getByLabel('Id', { exact: true }).fill('node-b');
	await add.getByRole('button', { name: 'Add node' }).click();
	await toastText(page, 'Node node-b added.');
	await nodeState(page, 'node-b', 'active');
	await nodeRow(page, 'node-b').getByTestId('node-usage').filter({ hasText: '0 / 5' }).waitFor();
	await shown(nodeRow(page, 'node-b'), 'own key').waitFor();
	// The key is sent once: the form forgets it.
	assert.equal(await add.getByLabel('API secret').inputValue(), '');
	const listed = (await call(admin, 'GET', '/api/nodes')).body.nodes.find((n) => n.id === 'node-b');
	assert.equal(listed.own_secret, true);
	assert.equal(listed.upstream, addressOf(second.relayUrl));
	assert.equal(listed.api_url, second.apiUrl.replace(/\/$/, ''));
	await checked(page, 'admin-nodes-two');
});

test('drain the second node after confirming; no relay can move to it then', async () => {
	await nodeRow(page, 'node-b').getByRole('button', { name: 'Edit node-b' }).click();
	const form = page.getByRole('form', { name: 'Change node-b' });
	await form.getByLabel('State').selectOption('draining');
	await form.getByRole('button', { name: 'Save changes' }).click();
	const dialog = page.getByRole('dialog');
	await dialog.getByText('A draining node takes no new relays.').waitFor();
	await checked(page, 'admin-nodes-drain');
	await confirmDialog(page, 'Drain node');
	await toastText(page, 'Node node-b saved.');
	await nodeState(page, 'node-b', 'draining');
	await nodeState(page, 'main', 'active');
	assert.equal((await call(admin, 'GET', '/api/nodes')).body.nodes.find((n) => n.id === 'node-b').state, 'draining');

	await page.goto(`${backend.url}/admin/relays/${relayId}`);
	await page.getByTestId('relay-node').filter({ hasText: 'main' }).waitFor();
	const move = page.getByTestId('relay-move');
	await move.getByText('No other node is taking relays.').waitFor();
	assert.equal(await move.getByLabel('Target node').count(), 0);

	// Back to active: nothing to confirm.
	await page.goto(`${backend.url}/admin/nodes`);
	await setState(page, 'node-b', 'active');
	assert.equal(await page.getByRole('dialog').isVisible(), false);
});

test('move a relay to the second node and follow the move', async () => {
	await page.goto(`${backend.url}/admin/relays/${relayId}`);
	const move = page.getByTestId('relay-move');
	await move.getByTestId('move-node').filter({ hasText: 'main' }).waitFor();
	await move.getByLabel('Target node').selectOption('node-b');
	await move.getByRole('button', { name: 'Move to node…' }).click();
	const dialog = page.getByRole('dialog');
	await dialog.getByText(/reconnect by themselves/).waitFor();
	await dialog.getByText(/does not copy the relay.s events/).waitFor();
	await checked(page, 'admin-relay-move-confirm');
	await confirmDialog(page, 'Move relay');
	await toastText(page, 'Moving Moving Day to node-b.');
	// The 202 answer carries the move; the page shows it until the move is done.
	await move.getByTestId('move-progress').filter({ hasText: /is moving to node-b: .+ \(step \d of 3\)/ }).waitFor();
	await page.getByTestId('relay-node').filter({ hasText: '(moving to node-b)' }).waitFor();
	await checked(page, 'admin-relay-moving');
	// The page reads the relay again every few seconds until the move is done.
	await page.getByTestId('toast').filter({ hasText: 'Moving Day moved to node-b.' }).first().waitFor({ timeout: 60000 });
	await move.getByTestId('move-node').filter({ hasText: 'node-b' }).waitFor();
	await page.getByTestId('relay-node').filter({ hasText: /^node-b$/ }).waitFor();
	const relay = (await call(admin, 'GET', `/api/relays/${relayId}`)).body;
	assert.equal(relay.node, 'node-b');
	assert.equal(relay.move ?? null, null);
	await checked(page, 'admin-relay-moved');

	// The nodes count it where it is now, and node-b answered the platform with its own key.
	await page.goto(`${backend.url}/admin/nodes`);
	await nodeRow(page, 'node-b').getByTestId('node-usage').filter({ hasText: '1 / 5' }).waitFor();
	await nodeRow(page, 'main').getByTestId('node-usage').filter({ hasText: /^0 \/ / }).waitFor();
	await nodeRow(page, 'node-b').getByTestId('node-health').getByText('healthy').waitFor();
	// The relay list shows its node.
	await page.goto(`${backend.url}/admin/relays`);
	await page.getByTestId('relay-row').filter({ hasText: 'Moving Day' }).getByTestId('relay-node').filter({ hasText: 'node-b' }).waitFor();
});

test('a tenant is refused a relay when no node takes one, in the server’s words; the admin sees it counted', async () => {
	for (const id of ['main', 'node-b']) assert.equal((await call(admin, 'PATCH', `/api/nodes/${id}`, { state: 'draining' })).status, 200);
	const tc = await contextFor(browser, tenant);
	try {
		const refused = await call(tenant, 'POST', '/api/relays', { name: 'No Room', subdomain: 'no-room-api', plan: 'free' });
		assert.equal(refused.status, 503, JSON.stringify(refused.body));
		assert.equal(refused.body.error.code, 'relay/no-capacity');
		const tp = await tc.newPage();
		await signIn(tp, '/relays/new');
		await tp.getByLabel('Name').fill('No Room Here');
		await tp.getByTestId('availability').waitFor();
		await tp.getByRole('button', { name: 'Create relay' }).click();
		await toastText(tp, refused.body.error.message);
		assert.equal(new URL(tp.url()).pathname, '/relays/new', 'the form stays, with what was typed');

		await page.goto(`${backend.url}/admin/nodes`);
		const banner = page.getByTestId('refused-banner');
		await banner.getByText('2 relays were refused for lack of capacity in the last 24 h:').waitFor();
		await banner.getByText('add a node or raise a capacity.').waitFor();
		assert.equal((await call(admin, 'GET', '/api/nodes')).body.refused_placements, 2);
		await checked(page, 'admin-nodes-refused');
	} finally {
		await tc.close();
		for (const id of ['main', 'node-b']) await call(admin, 'PATCH', `/api/nodes/${id}`, { state: 'active' });
	}
	await page.reload();
	await nodeState(page, 'main', 'active');
	await nodeState(page, 'node-b', 'active');
});

test('mark a node down after a warning, then bring it back', async () => {
	await page.goto(`${backend.url}/admin/nodes`);
	await nodeRow(page, 'node-b').getByRole('button', { name: 'Edit node-b' }).click();
	const form = page.getByRole('form', { name: 'Change node-b' });
	await form.getByLabel('State').selectOption('down');
	await form.getByRole('button', { name: 'Save changes' }).click();
	await page.getByRole('dialog').getByText(/out of service/).waitFor();
	await confirmDialog(page, 'Mark down');
	await nodeState(page, 'node-b', 'down');
	await setState(page, 'node-b', 'active');
});

test('capacity and upstream are checked at their fields and saved', async () => {
	await page.goto(`${backend.url}/admin/nodes`);
	await nodeRow(page, 'node-b').getByRole('button', { name: 'Edit node-b' }).click();
	const form = page.getByRole('form', { name: 'Change node-b' });
	await form.getByLabel('Capacity').fill('lots');
	await form.getByLabel('Upstream').fill('zooid.internal:3334');
	await form.getByRole('button', { name: 'Save changes' }).click();
	await form.locator('.error-text').filter({ hasText: 'A whole number of relays' }).waitFor();
	await form.locator('.error-text').filter({ hasText: 'An IP address and port' }).waitFor();
	assert.equal(await form.getByLabel('Capacity').getAttribute('aria-invalid'), 'true');
	await form.getByLabel('Capacity').fill('7');
	await form.getByLabel('Upstream').fill(addressOf(second.relayUrl));
	await form.getByRole('button', { name: 'Save changes' }).click();
	await toastText(page, 'Node node-b saved.');
	await nodeRow(page, 'node-b').getByTestId('node-usage').filter({ hasText: '1 / 7' }).waitFor();
	assert.equal((await call(admin, 'GET', '/api/nodes')).body.nodes.find((n) => n.id === 'node-b').capacity, 7);
});

test('the node pages fit a phone screen without sideways scrolling', async () => {
	const c = await contextFor(browser, admin, PHONE);
	const p = await c.newPage();
	try {
		await signIn(p, '/admin/nodes');
		await noSidewaysScroll(p, backend.url, '/admin/nodes');
		await checked(p, 'admin-nodes-phone');
		// With a node's editor open too.
		await nodeRow(p, 'node-b').getByRole('button', { name: 'Edit node-b' }).click();
		await p.getByRole('form', { name: 'Change node-b' }).waitFor();
		const wide = await p.evaluate((width) => [...document.querySelectorAll('main *')].filter((el) => el.getBoundingClientRect().right > width + 0.5).map((el) => el.outerHTML.slice(0, 80)), PHONE.viewport.width);
		assert.deepEqual(wide, [], 'the open editor reaches past the right edge');
		await noSidewaysScroll(p, backend.url, `/admin/relays/${relayId}`);
		await p.getByTestId('relay-move').waitFor();
		await checked(p, 'admin-relay-node-phone');
	} finally {
		await c.close();
	}
});

test('accessibility: axe-core finds no serious or critical violations on the node pages', async () => {
	const lines = axeFindings.flatMap((f) => f.violations.map((v) => `${f.page}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.join(', ')}`));
	assert.deepEqual(lines, []);
});
