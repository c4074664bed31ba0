import { moderation, relays } from '$lib/api';
import { attempt, optional } from '$lib/load';
import { LIMIT } from '$lib/paged.svelte';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, params, parent }) => {
	await parent(); // the session first: every call below is signed
	const [reports, bans, relay] = await Promise.all([
		attempt(moderation.reports(params.id, { limit: LIMIT }), url),
		attempt(moderation.bans(params.id), url),
		// A co-admin moderates without seeing the relay itself (404).
		optional(relays.get(params.id), null),
	]);
	return { reports, bans, relay };
};
