import { heldRoles, invites } from '$lib/api';
import { attempt, optional } from '$lib/load';
import type { PageLoad } from './$types';

// An inviter's page: the invites they made to a relay someone else runs, and making more.
export const load: PageLoad = async ({ url, params, parent }) => {
	await parent(); // the session first: every call below is signed
	const [list, held] = await Promise.all([
		attempt(invites.list(params.id).then((l) => l.items), url),
		optional(heldRoles().then((h) => h.items.find((r) => r.relay === params.id) ?? null), null),
	]);
	return { invites: list, relay: held };
};
