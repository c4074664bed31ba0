import { describe, expect, it } from 'vitest';
import { generateSecretKey, getPublicKey, verifyEvent } from 'nostr-tools/pure';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { authorization, authTemplate, payloadHash, HTTP_AUTH_KIND } from './nip98';
import { parseSecret, secretKeySigner } from './signer';
import { createApi } from '$lib/api/client';
import { encrypt } from 'nostr-tools/nip49';
import { nsecEncode } from 'nostr-tools/nip19';

type Ev = { id: string; pubkey: string; sig: string; kind: number; created_at: number; tags: string[][]; content: string };

function decodeHeader(header: string): Ev {
	expect(header.startsWith('Nostr ')).toBe(true);
	const bytes = Uint8Array.from(atob(header.slice(6)), (c) => c.charCodeAt(0));
	return JSON.parse(new TextDecoder().decode(bytes)) as Ev;
}
const tag = (ev: Ev, name: string) => ev.tags.filter((t) => t[0] === name).map((t) => t[1]);

describe('NIP-98 headers', () => {
	const sk = generateSecretKey();
	const signer = secretKeySigner(sk);

	it('bind kind, exact URL with query, method and a fresh time, and verify', async () => {
		const url = 'http://127.0.0.1:3000/api/relays?q=caf%C3%A9&status=active&limit=50';
		const ev = decodeHeader(await authorization(signer, url, 'get'));
		expect(ev.kind).toBe(HTTP_AUTH_KIND);
		expect(tag(ev, 'u')).toEqual([url]);
		expect(tag(ev, 'method')).toEqual(['GET']);
		expect(tag(ev, 'payload')).toEqual([]);
		expect(Math.abs(ev.created_at - Date.now() / 1000)).toBeLessThan(5);
		expect(ev.pubkey).toBe(getPublicKey(sk));
		expect(verifyEvent(ev)).toBe(true);
	});

	it('hash the exact body string in a payload tag', async () => {
		const body = '{"name":"Café ⚡","subdomain":"cafe","plan":"free"}';
		const ev = decodeHeader(await authorization(signer, 'http://h/api/relays', 'POST', body));
		const expected = bytesToHex(sha256(new TextEncoder().encode(body)));
		expect(tag(ev, 'payload')).toEqual([expected]);
		expect(payloadHash(body)).toBe(expected);
		// A re-serialisation with other spacing would not match.
		expect(payloadHash(JSON.stringify(JSON.parse(body), null, 1))).not.toBe(expected);
	});

	it('are signed afresh for every request (never the same signature twice)', async () => {
		const a = decodeHeader(await authorization(signer, 'http://h/api/identity', 'GET'));
		const b = decodeHeader(await authorization(signer, 'http://h/api/identity', 'GET'));
		expect(a.sig).not.toBe(b.sig);
	});

	it('have an empty content and no payload tag for an empty body', () => {
		const t = authTemplate('http://h/x', 'post', '', 1_700_000_000_000);
		expect(t).toEqual({ kind: 27235, created_at: 1_700_000_000, tags: [['u', 'http://h/x'], ['method', 'POST']], content: '' });
	});
});

describe('the API client signs what it sends', () => {
	it('signs the request URL (with query), method and the exact body bytes it sends', async () => {
		const sk = generateSecretKey();
		const seen: { url: string; method: string; body: string; auth: string | null }[] = [];
		const fake = (async (req: Request) => {
			seen.push({ url: req.url, method: req.method, body: await req.text(), auth: req.headers.get('authorization') });
			return new Response(JSON.stringify({ items: [], total: 0, limit: 50, offset: 0 }), {
				status: 200,
				headers: { 'content-type': 'application/json' },
			});
		}) as typeof fetch;
		const api = createApi('http://127.0.0.1:3100', () => secretKeySigner(sk), fake);
		await api.GET('/api/relays', { params: { query: { q: 'my relay', status: 'active' } } });
		await api.POST('/api/relays', { body: { name: 'Ünïcode ⚡', subdomain: 'unicode', plan: 'free' } });
		await api.GET('/api/plans');

		const [list, create, plans] = seen;
		const l = decodeHeader(list!.auth!);
		expect(tag(l, 'u')).toEqual([list!.url]);
		expect(list!.url).toContain('?q=my');
		expect(tag(l, 'method')).toEqual(['GET']);

		const c = decodeHeader(create!.auth!);
		expect(tag(c, 'method')).toEqual(['POST']);
		expect(tag(c, 'payload')).toEqual([payloadHash(create!.body)]);
		expect(verifyEvent(c)).toBe(true);
		expect(plans!.auth).toBeNull();
	});
});

describe('secret keys', () => {
	it('read nsec, hex and ncryptsec (with its password)', async () => {
		const sk = generateSecretKey();
		expect(await parseSecret(nsecEncode(sk))).toEqual(sk);
		expect(await parseSecret(`  ${bytesToHex(sk)} `)).toEqual(sk);
		const enc = encrypt(sk, 'correct horse', 4);
		expect(await parseSecret(enc, 'correct horse')).toEqual(sk);
		await expect(parseSecret(enc, 'wrong')).rejects.toThrow(/password/);
		await expect(parseSecret(enc)).rejects.toThrow(/password/);
		await expect(parseSecret('npub1xyz')).rejects.toThrow();
	});
});
