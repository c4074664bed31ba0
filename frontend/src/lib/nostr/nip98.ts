// NIP-98 HTTP auth: one freshly signed kind-27235 event per request, bound to the exact
// URL (with its query), the method, and the SHA-256 of the exact body string sent.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { EventTemplate, Signer } from './signer';

export const HTTP_AUTH_KIND = 27235;

/** Hex SHA-256 of the body as it goes on the wire (UTF-8 bytes of the string). */
export function payloadHash(body: string): string {
	return bytesToHex(sha256(utf8ToBytes(body)));
}

/** The unsigned event for `method url`; a `payload` tag whenever a body is sent. */
export function authTemplate(url: string, method: string, body?: string | null, now = Date.now()): EventTemplate {
	const tags = [
		['u', url],
		['method', method.toUpperCase()],
	];
	if (body != null && body !== '') tags.push(['payload', payloadHash(body)]);
	return { kind: HTTP_AUTH_KIND, created_at: Math.floor(now / 1000), tags, content: '' };
}

function base64(text: string): string {
	const bytes = utf8ToBytes(text);
	let bin = '';
	for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	return btoa(bin);
}

/** `Authorization` header value: `Nostr <base64 signed event>`. Call once per request. */
export async function authorization(signer: Signer, url: string, method: string, body?: string | null): Promise<string> {
	const event = await signer.signEvent(authTemplate(url, method, body));
	return `Nostr ${base64(JSON.stringify(event))}`;
}
