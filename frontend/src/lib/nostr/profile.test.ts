import { describe, expect, it } from 'vitest';
import { newestProfiles, parseProfile } from './profile';

describe('kind-0 profiles', () => {
	it('prefer display_name, keep only http(s) pictures', () => {
		expect(parseProfile(JSON.stringify({ name: 'al', display_name: 'Alice', picture: 'https://x/a.png' }))).toEqual({ name: 'Alice', picture: 'https://x/a.png' });
		expect(parseProfile(JSON.stringify({ name: 'bob', picture: 'javascript:alert(1)' }))).toEqual({ name: 'bob', picture: undefined });
	});
	it('ignore empty or broken content (the npub is shown instead)', () => {
		expect(parseProfile('{}')).toBeNull();
		expect(parseProfile('not json')).toBeNull();
		expect(parseProfile(JSON.stringify({ name: '   ' }))).toBeNull();
	});
	it('take the newest kind 0 of each author from a batch', () => {
		const events = [
			{ pubkey: 'a', created_at: 1, content: JSON.stringify({ name: 'old' }) },
			{ pubkey: 'a', created_at: 2, content: JSON.stringify({ name: 'new' }) },
			{ pubkey: 'b', created_at: 1, content: 'broken' },
		];
		expect(newestProfiles(events)).toEqual(new Map([['a', { name: 'new', picture: undefined }]]));
	});
});
