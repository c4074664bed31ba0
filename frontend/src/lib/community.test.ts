import { describe, expect, it } from 'vitest';
import type { Plan } from '$lib/api';
import { cheapestWith, memberCount, roleName, roomFor } from './community';

const plan = (id: string, max_members: number | null, media: boolean): Plan => ({
	id, name: id.charAt(0).toUpperCase() + id.slice(1), price_sats: 0, price_msat: 0, max_members, blossom: media, livekit: media, available: true,
});
const PLANS = [plan('free', 10, false), plan('basic', 100, true), plan('growth', null, true)];

describe('community wording', () => {
	it('counts members against the plan', () => {
		expect(memberCount(7, 10)).toBe('7 of 10 members');
		expect(memberCount(1, 10)).toBe('1 of 10 members');
		expect(memberCount(1200, null)).toBe('1,200 members (unlimited)');
		expect(memberCount(1, null)).toBe('1 member (unlimited)');
		expect(memberCount(null, 10)).toBe('Members not counted yet');
	});

	it('names the cheapest plan with a feature, and one with room', () => {
		expect(cheapestWith(PLANS, 'blossom')?.name).toBe('Basic');
		expect(cheapestWith(PLANS.slice(0, 1), 'livekit')).toBeUndefined();
		expect(roomFor(PLANS, 10, 'free')?.id).toBe('basic');
		expect(roomFor(PLANS, 100, 'basic')?.id).toBe('growth');
	});

	it('calls the API’s admin a co-admin', () => {
		expect([roleName('admin'), roleName('inviter'), roleName('owner'), roleName(null)]).toEqual(['co-admin', 'inviter', 'owner', 'member']);
	});
});
