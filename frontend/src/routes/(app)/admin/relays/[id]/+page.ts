import { loadRelay } from '$lib/relays';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, params, parent }) => {
	await parent(); // the session first: every call below is signed
	return loadRelay(url, params.id);
};
