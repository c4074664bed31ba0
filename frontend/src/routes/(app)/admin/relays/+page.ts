import { loadRelayList } from '$lib/relays';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, parent }) => {
	await parent(); // the session first: every call below is signed
	return loadRelayList(url);
};
