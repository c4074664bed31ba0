// Keys as people type them: an npub or a hex pubkey, whole or in part.
import { decode } from 'nostr-tools/nip19';

const HEX = /^[0-9a-f]{64}$/;
const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

/** The hex pubkey of a whole npub or hex key; other text is passed on unchanged (the server says why not). */
export function hexKey(input: string): string | undefined {
	const s = input.trim();
	if (!s) return undefined;
	if (HEX.test(s.toLowerCase())) return s.toLowerCase();
	if (s.toLowerCase().startsWith('npub1')) {
		try {
			const d = decode(s.toLowerCase());
			if (d.type === 'npub') return d.data;
		} catch {
			/* not a whole npub */
		}
	}
	return s;
}

export type KeySearch = { kind: 'hex'; value: string } | { kind: 'name'; value: string };

/**
 * What a tenant search means: a whole or partial hex key, an npub (a partial one from its start
 * maps to the start of the hex key), or else a name.
 */
export function keySearch(input: string): KeySearch | null {
	const s = input.trim().toLowerCase();
	if (!s) return null;
	if (s.startsWith('npub1')) {
		const whole = hexKey(s);
		if (whole && HEX.test(whole)) return { kind: 'hex', value: whole };
		const prefix = npubPrefix(s);
		if (prefix) return { kind: 'hex', value: prefix };
	}
	if (/^[0-9a-f]+$/.test(s) && s.length >= 4) return { kind: 'hex', value: s };
	return { kind: 'name', value: input.trim() };
}

/** The hex digits fully determined by the first characters of an npub (5 bits each). */
export function npubPrefix(npub: string): string | null {
	const data = npub.slice(5);
	let bits = '';
	for (const c of data) {
		const v = BECH32.indexOf(c);
		if (v < 0) return null;
		bits += v.toString(2).padStart(5, '0');
	}
	// The 32-byte key is 52 characters of data; a longer prefix runs into the checksum.
	bits = bits.slice(0, 256);
	const nibbles = Math.floor(bits.length / 4);
	let hex = '';
	for (let i = 0; i < nibbles; i++) hex += parseInt(bits.slice(i * 4, i * 4 + 4), 2).toString(16);
	return hex.length >= 4 ? hex : null;
}
