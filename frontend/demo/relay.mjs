// A tiny in-memory Nostr relay (NIP-01) for `just demo` and local development: EVENT, REQ,
// CLOSE, EOSE, ephemeral kinds (NWC requests/responses) delivered live but not stored.
// Development only: no persistence, no limits, no auth.
import { WebSocketServer } from 'ws';
import { verifyEvent } from 'nostr-tools/pure';

function matches(f, e) {
	if (f.ids && !f.ids.includes(e.id)) return false;
	if (f.authors && !f.authors.includes(e.pubkey)) return false;
	if (f.kinds && !f.kinds.includes(e.kind)) return false;
	if (f.since && e.created_at < f.since) return false;
	if (f.until && e.created_at > f.until) return false;
	for (const [k, v] of Object.entries(f)) {
		if (k[0] === '#' && Array.isArray(v) && !e.tags.some((t) => t[0] === k.slice(1) && v.includes(t[1]))) return false;
	}
	return true;
}

const replaceable = (k) => k === 0 || k === 3 || (k >= 10000 && k < 20000);
const ephemeral = (k) => k >= 20000 && k < 30000;

export function startRelay({ port = 0, host = '127.0.0.1' } = {}) {
	const events = [];
	const subs = new Map(); // ws -> Map(subId -> filters)
	const wss = new WebSocketServer({ port, host });
	wss.on('connection', (ws) => {
		subs.set(ws, new Map());
		ws.on('close', () => subs.delete(ws));
		ws.on('message', (raw) => {
			let msg;
			try {
				msg = JSON.parse(raw.toString());
			} catch {
				return ws.send(JSON.stringify(['NOTICE', 'invalid: not JSON']));
			}
			const [type, ...rest] = msg;
			if (type === 'EVENT') {
				const e = rest[0];
				if (!e || !verifyEvent(e)) return ws.send(JSON.stringify(['OK', e?.id ?? '', false, 'invalid: bad signature']));
				if (!ephemeral(e.kind)) {
					if (replaceable(e.kind)) {
						const i = events.findIndex((x) => x.kind === e.kind && x.pubkey === e.pubkey);
						if (i >= 0) events.splice(i, 1);
					}
					if (!events.some((x) => x.id === e.id)) events.push(e);
				}
				ws.send(JSON.stringify(['OK', e.id, true, '']));
				for (const [client, s] of subs) for (const [id, filters] of s) if (filters.some((f) => matches(f, e))) client.send(JSON.stringify(['EVENT', id, e]));
			} else if (type === 'REQ') {
				const [id, ...filters] = rest;
				subs.get(ws)?.set(id, filters);
				for (const f of filters) {
					const found = events.filter((e) => matches(f, e)).sort((a, b) => b.created_at - a.created_at);
					for (const e of found.slice(0, f.limit ?? 500)) ws.send(JSON.stringify(['EVENT', id, e]));
				}
				ws.send(JSON.stringify(['EOSE', id]));
			} else if (type === 'CLOSE') {
				subs.get(ws)?.delete(rest[0]);
			}
		});
	});
	return new Promise((ok) =>
		wss.on('listening', () => ok({ url: `ws://${host}:${wss.address().port}`, close: () => wss.close() })),
	);
}
