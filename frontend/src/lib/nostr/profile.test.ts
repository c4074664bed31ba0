import { describe, expect, it } from 'vitest';
import { parseProfile } from './profile';

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
});
