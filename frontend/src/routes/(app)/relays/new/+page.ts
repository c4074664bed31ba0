import { plans } from '$lib/api';
import { attempt } from '$lib/load';
import { relayDomain } from '$lib/relays';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, parent }) => {
	await parent(); // the session first: every call below is signed
	const [planList, domain] = await Promise.all([attempt(plans(), url), relayDomain()]);
	return { plans: planList, domain };
};
