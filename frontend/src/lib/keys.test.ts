import { describe, expect, it } from 'vitest';
import { npubEncode } from 'nostr-tools/nip19';
import { hexKey, keySearch, npubPrefix } from './keys';

const hex = '3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d';
const npub = npubEncode(hex);

describe('keys as people type them', () => {
	it('turns a whole npub into its hex key and leaves hex alone', () => {
		expect(hexKey(npub)).toBe(hex);
		expect(hexKey(hex.toUpperCase())).toBe(hex);
		expect(hexKey('  ')).toBeUndefined();
	});

	it('maps the start of an npub to the start of its hex key', () => {
		for (const n of [12, 20, 30, 57]) expect(hex.startsWith(npubPrefix(npub.slice(0, n))!)).toBe(true);
		expect(npubPrefix(npub.slice(0, 50))!.length).toBe(Math.floor(((50 - 5) * 5) / 4));
		expect(npubPrefix('npub1b')).toBeNull();
	});

	it('reads a search as a key or else a name', () => {
		expect(keySearch(npub)).toEqual({ kind: 'hex', value: hex });
		expect(keySearch(npub.slice(0, 20))).toEqual({ kind: 'hex', value: npubPrefix(npub.slice(0, 20)) });
		expect(keySearch(hex.slice(4, 20))).toEqual({ kind: 'hex', value: hex.slice(4, 20) });
		expect(keySearch('Test Relay')).toEqual({ kind: 'name', value: 'Test Relay' });
		expect(keySearch('')).toBeNull();
	});
});
