// A relay's community as the pages word it: member counts against the plan's limit, the
// switches with their explanations, and which plan includes a feature.
import type { Plan, Policies } from '$lib/api';

/** "7 of 10 members"; "7 members (unlimited)" without a limit; null count: not read yet. */
export function memberCount(count: number | null | undefined, limit: number | null | undefined): string {
	if (count == null) return 'Members not counted yet';
	const noun = count === 1 && limit == null ? 'member' : 'members';
	return limit == null ? `${count.toLocaleString('en-US')} ${noun} (unlimited)` : `${count.toLocaleString('en-US')} of ${limit.toLocaleString('en-US')} members`;
}

/** A plan feature a switch needs: the switch does nothing on a plan without it. */
export type Feature = 'blossom' | 'livekit';

export interface Switch {
	key: keyof Policies;
	label: string;
	help: string;
	needs?: Feature;
	/** Said as a warning rather than a hint. */
	warning?: boolean;
}

export const SWITCHES: readonly Switch[] = [
	{ key: 'public_join', label: 'Open to everyone', help: 'Anyone may join without an invite.' },
	{ key: 'members_may_invite', label: 'Members may invite', help: 'Every member may invite others, not only you, co-admins and inviters.' },
	{ key: 'groups', label: 'Groups', help: 'Members can create and join groups (NIP-29) on the relay.' },
	{ key: 'push', label: 'Push notifications', help: 'Apps can get push notifications for new events (NIP-9A).' },
	{ key: 'blossom', label: 'Media uploads', help: 'Members can upload images and files to the relay (Blossom).', needs: 'blossom' },
	{ key: 'blossom_members_read', label: 'Media for members only', help: 'Only members may download the relay’s media.', needs: 'blossom' },
	{ key: 'livekit', label: 'Audio and video rooms', help: 'Members can hold live audio and video rooms (LiveKit).', needs: 'livekit' },
	{
		key: 'strip_signatures',
		label: 'Strip signatures',
		help: 'Events are served without their signatures: clients can no longer verify who wrote what.',
		warning: true,
	},
];

/** The cheapest plan that includes `feature` (plans come cheapest first). */
export function cheapestWith(plans: readonly Plan[], feature: Feature): Plan | undefined {
	return plans.find((p) => p[feature]);
}

/** The cheapest plan that allows more than `count` members, other than `current`. */
export function roomFor(plans: readonly Plan[], count: number, current?: string): Plan | undefined {
	return plans.find((p) => p.id !== current && (p.max_members == null || p.max_members > count));
}

/** How a role reads on the page: the API's `admin` is a co-admin beside the owner. */
export function roleName(role: string | null | undefined): string {
	if (role === 'admin') return 'co-admin';
	return role || 'member';
}
