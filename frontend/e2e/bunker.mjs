// A NIP-46 remote signer ("bunker") for the end-to-end tests: it answers connect,
// get_public_key and sign_event over a local relay with NIP-44 encrypted kind-24133 events,
// and can answer a nostrconnect:// URI the way a signer app does after scanning its QR code.
import WebSocket from 'ws';
import { SimplePool, useWebSocketImplementation } from 'nostr-tools/pool';
import { finalizeEvent } from 'nostr-tools/pure';
import { decrypt, encrypt, getConversationKey } from 'nostr-tools/nip44';
import { randomBytes } from 'node:crypto';

useWebSocketImplementation(WebSocket);
const NOSTR_CONNECT = 24133;

export function startBunker(relayUrl, user) {
	const pool = new SimplePool();
	const secret = randomBytes(8).toString('hex');
	const methods = [];

	function reply(to, body) {
		const content = encrypt(JSON.stringify(body), getConversationKey(user.sk, to));
		const event = finalizeEvent({ kind: NOSTR_CONNECT, created_at: Math.floor(Date.now() / 1000), tags: [['p', to]], content }, user.sk);
		return Promise.any(pool.publish([relayUrl], event));
	}

	const sub = pool.subscribe([relayUrl], { kinds: [NOSTR_CONNECT], '#p': [user.pubkey], limit: 0 }, {
		onevent: async (event) => {
			const { id, method, params } = JSON.parse(decrypt(event.content, getConversationKey(user.sk, event.pubkey)));
			methods.push(method);
			const answer = { id, result: '', error: '' };
			if (method === 'connect') {
				if (params[1] === secret) answer.result = 'ack';
				else answer.error = 'wrong secret';
			} else if (method === 'get_public_key') answer.result = user.pubkey;
			else if (method === 'sign_event') answer.result = JSON.stringify(finalizeEvent(JSON.parse(params[0]), user.sk));
			else if (method === 'ping') answer.result = 'pong';
			else if (method === 'switch_relays') answer.result = 'null';
			else answer.error = `unsupported method ${method}`;
			await reply(event.pubkey, answer);
		},
	});

	return {
		url: `bunker://${user.pubkey}?relay=${encodeURIComponent(relayUrl)}&secret=${secret}`,
		methods,
		/** Accepts a nostrconnect:// URI, as a signer app does once it scanned the QR code. */
		async accept(uri) {
			const u = new URL(uri);
			await reply(u.host || u.pathname.replace(/^\/\//, ''), { id: randomBytes(4).toString('hex'), result: u.searchParams.get('secret'), error: '' });
		},
		close() {
			sub.close();
			pool.close([relayUrl]);
		},
	};
}
