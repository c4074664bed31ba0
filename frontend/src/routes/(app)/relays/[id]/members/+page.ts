import { invites, members, plans, relays, roles } from '$lib/api';
import { attempt, optional } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, params, parent }) => {
	await parent(); // the session first: every call below is signed
	const [list, roleList, relay, planList, inviteList] = await Promise.all([
		attempt(members.list(params.id), url),
		optional(roles.list(params.id), null),
		// A co-admin may manage members but not see the relay itself (404): the page does without.
		optional(relays.get(params.id), null),
		optional(plans(), []),
		optional(invites.list(params.id).then((l) => l.items), null),
	]);
	return { members: list, roles: roleList, relay, plans: planList, invites: inviteList };
};
