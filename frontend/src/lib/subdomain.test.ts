import { describe, expect, it } from 'vitest';
import { subdomainFrom, subdomainProblem } from './subdomain';

describe('subdomain generator', () => {
	it.each([
		['My Relay', 'my-relay'],
		['  Café  Ünïcode!! ', 'cafe-unicode'],
		['42 Bitcoiners', 'bitcoiners'],
		['a--b__c', 'a-b-c'],
		['Nostr---', 'nostr'],
		['ab', 'ab-relay'],
		['x', 'x-relay'],
		['1234', ''],
		['⚡⚡', ''],
		['', ''],
	])('%j → %j', (name, expected) => {
		expect(subdomainFrom(name)).toBe(expected);
	});

	it('always yields a valid subdomain (or nothing) for any name', () => {
		const samples = ['A'.repeat(100), 'a-'.repeat(40), 'Ω mega relay', 'x'.repeat(62) + '-y', '-lead', 'z9-'];
		for (const name of samples) {
			const s = subdomainFrom(name);
			if (s) expect(subdomainProblem(s), `${name} → ${s}`).toBeNull();
			expect(s.length).toBeLessThanOrEqual(63);
		}
	});
});

describe('subdomain rules', () => {
	it.each([
		['ok-relay', null],
		['ab', 'Use 3 to 63 characters.'],
		['a'.repeat(64), 'Use 3 to 63 characters.'],
		['9relay', 'Start with a letter.'],
		['relay-', 'Do not end with a dash.'],
		['re--lay', 'Do not use two dashes in a row.'],
		['re_lay', 'Use only letters a–z, digits and dashes.'],
		['  MyRelay ', null],
	])('%j', (s, problem) => {
		expect(subdomainProblem(s)).toBe(problem);
	});
});
