// End-to-end harness: the real backend (built from this tree) on a free loopback port with a
// temporary database, and a NIP-07 signer injected into the page (Chromium itself is set up in
// playwright.config.js). No sleeps for readiness: poll with a deadline.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { getToken } from 'nostr-tools/nip98';

export const ROOT = resolve(import.meta.dirname, '../..');
export const SHOTS = join(ROOT, 'test-artifacts/screenshots');
const AXE = readFileSync(resolve(import.meta.dirname, '../node_modules/axe-core/axe.min.js'), 'utf8');

export function newUser() {
	const sk = generateSecretKey();
	return { sk, pubkey: getPublicKey(sk) };
}

async function freePort() {
	return new Promise((ok, fail) => {
		const s = createServer();
		s.once('error', fail);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => ok(port));
		});
	});
}

export async function waitFor(check, what, ms = 15000) {
	const end = Date.now() + ms;
	let last;
	while (Date.now() < end) {
		try {
			const v = await check();
			if (v) return v;
		} catch (e) {
			last = e;
		}
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

/**
 * Starts `caravel` with a temporary DATA_DIR; returns its URL and a stop function. Relays are
 * provisioned into a config directory unless `env` names a zooid API (`ZOOID_API_URL`).
 */
export async function startBackend({ admins = [], env = {} } = {}) {
	const bin = process.env.CARAVEL_BIN ?? join(ROOT, 'target/debug/caravel');
	const dir = mkdtempSync(join(tmpdir(), 'caravel-e2e-'));
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const child = spawn(bin, [], {
		env: {
			PATH: process.env.PATH,
			DATA_DIR: dir,
			DATABASE_URL: `sqlite://${dir}/caravel.db`,
			HOST: '127.0.0.1',
			PORT: String(port),
			ADMINS: admins.join(','),
			RELAY_DOMAIN: 'relays.test',
			WEB_DIR: process.env.WEB_DIR ?? join(ROOT, 'frontend/build'),
			...(env.ZOOID_API_URL ? {} : { ZOOID_CONFIG_DIR: join(dir, 'zooid') }),
			RUST_LOG: process.env.CARAVEL_LOG ?? 'warn',
			...env,
		},
		stdio: ['ignore', 'inherit', 'inherit'],
	});
	let exited = null;
	child.on('exit', (code) => (exited = code));
	await waitFor(async () => {
		if (exited !== null) throw new Error(`caravel exited with ${exited}`);
		return (await fetch(`${url}/api/ready`)).ok;
	}, 'the backend to be ready');
	return {
		url,
		dir,
		bin,
		async stop() {
			child.kill('SIGTERM');
			await waitFor(() => exited !== null, 'the backend to stop', 10000).catch(() => child.kill('SIGKILL'));
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

/**
 * Starts the zooid stand-in (`ZOOID_STANDIN_BIN`, default target/debug/zooid-standin): real
 * relays on one loopback port behind zooid's API. It prints one JSON line and serves while its
 * standard input stays open. `env` is what `startBackend` needs to provision to it.
 */
export async function startZooidStandIn() {
	const bin = process.env.ZOOID_STANDIN_BIN ?? join(ROOT, 'target/debug/zooid-standin');
	const child = spawn(bin, [], { env: { PATH: process.env.PATH, RUST_LOG: 'warn' }, stdio: ['pipe', 'pipe', 'inherit'] });
	let exited = null;
	child.on('exit', (code, signal) => (exited = code ?? signal));
	const lines = createInterface({ input: child.stdout });
	let line = null;
	lines.once('line', (l) => (line = l));
	child.once('error', (e) => (exited = e.message));
	try {
		await waitFor(() => {
			if (exited !== null) throw new Error(`${bin} exited (${exited})`);
			return line !== null;
		}, 'the zooid stand-in to start');
	} finally {
		lines.close();
		child.stdout.resume(); // nothing more is expected, but never let a full pipe block it
	}
	const { api_url, relay_url, api_secret } = JSON.parse(line);
	return {
		apiUrl: api_url,
		relayUrl: relay_url,
		env: { ZOOID_API_URL: api_url, ZOOID_API_SECRET: api_secret, RELAY_URL_TEMPLATE: relay_url },
		async stop() {
			child.stdin.end(); // it serves until its standard input closes
			await waitFor(() => exited !== null, 'the zooid stand-in to stop', 5000).catch(() => child.kill('SIGKILL'));
		},
	};
}

/** A signed API call from node, as `user` (for seeding data the test does not click through). */
export async function apiCall(base, user, method, path, body) {
	const url = `${base}${path}`;
	const text = body === undefined ? undefined : JSON.stringify(body);
	const auth = await getToken(url, method, (e) => finalizeEvent(e, user.sk), true, body);
	const res = await fetch(url, { method, headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: text });
	return { status: res.status, body: await res.json().catch(() => null) };
}

/** A browser context whose pages have `window.nostr` (NIP-07) signing as `user`. */
export async function contextFor(browser, user, options = {}) {
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
	if (user) {
		await context.exposeBinding('__e2eSign', (_source, template) => finalizeEvent(template, user.sk));
		await context.exposeBinding('__e2ePubkey', () => user.pubkey);
		await context.addInitScript(() => {
			window.nostr = {
				getPublicKey: () => window.__e2ePubkey(),
				signEvent: (t) => window.__e2eSign(t),
			};
		});
	}
	// Profile look-ups go to public relays; this machine has no internet, so answer at once.
	await context.routeWebSocket(/^wss?:\/\/(?!127\.0\.0\.1)/, (ws) => ws.close());
	return context;
}

export async function screenshot(page, name) {
	mkdirSync(SHOTS, { recursive: true });
	await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Runs axe-core on the page; returns serious and critical violations. */
export async function axe(page) {
	await page.addScriptTag({ content: AXE });
	const result = await page.evaluate(async () => {
		// @ts-expect-error injected
		const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } });
		return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
	});
	return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * Visits `path` (on the server at `base`) on a phone and asserts nothing reaches past the screen's right edge. Measured
 * against the phone's width, not `innerWidth`: a mobile browser widens its layout viewport (and
 * zooms out) to fit content that overflows, which would hide the very overflow looked for.
 */
export async function noSidewaysScroll(p, base, path) {
	await p.goto(`${base}${path}`);
	await p.locator('main h1').first().waitFor();
	await p.waitForLoadState('networkidle');
	const width = p.viewportSize().width;
	const { scroll, outside } = await p.evaluate(() => ({
		scroll: document.documentElement.scrollWidth,
		outside: [...document.querySelectorAll('main *')].map((el) => [el.getBoundingClientRect().right, el.outerHTML.slice(0, 80)]),
	}));
	assert.ok(scroll <= width, `${path} is ${scroll}px wide on a ${width}px screen`);
	assert.deepEqual(outside.filter(([right]) => right > width + 0.5).map(([, html]) => html), [], `${path} has elements past the right edge`);
}

/** Signs in on the server at `base` with the extension the page's context carries, then waits to leave the login page (for `next`, if given). */
export async function signIn(p, base, next = '') {
	await p.goto(`${base}/login${next ? `?next=${encodeURIComponent(next)}` : ''}`);
	await p.getByRole('button', { name: 'Sign in with extension' }).click();
	await p.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/** Confirms the open dialog with the button `label`, giving `reason` where the dialog asks for one. */
export async function confirmDialog(p, label, reason) {
	const dialog = p.getByRole('dialog');
	await dialog.waitFor();
	if (reason) await dialog.getByLabel('Reason (required)').fill(reason);
	await dialog.getByRole('button', { name: label }).click();
	await dialog.waitFor({ state: 'hidden' });
}

/** Waits for a toast saying `text`. */
export const toastText = (p, text) => p.getByTestId('toast').filter({ hasText: text }).first().waitFor();

/** Lets the page settle, keeps a screenshot as `name`, and adds axe's serious findings to `findings`. */
export async function checked(p, name, findings) {
	await p.waitForLoadState('networkidle');
	await screenshot(p, name);
	const v = await axe(p);
	if (v.length) findings.push({ page: name, violations: v });
}
