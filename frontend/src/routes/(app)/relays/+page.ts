import { heldRoles } from '$lib/api';
import { optional } from '$lib/load';
import { loadRelayList } from '$lib/relays';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, parent }) => {
	await parent(); // the session first: every call below is signed
	const [list, held] = await Promise.all([loadRelayList(url), optional(heldRoles().then((h) => h.items), [])]);
	return { ...list, held };
};
