import { invoices, tenants } from '$lib/api';
import { attempt } from '$lib/load';
import { hexKey } from '$lib/keys';
import { loadRelayList } from '$lib/relays';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, params, parent }) => {
	await parent(); // the session first: every call below is signed
	// The address holds an npub or a hex key; the server takes either.
	const key = hexKey(params.pubkey) ?? params.pubkey;
	const [tenant, relayList, bills] = await Promise.all([
		attempt(tenants.get(key), url),
		loadRelayList(url, key),
		attempt(invoices.list({ tenant: key, limit: 50 }), url),
	]);
	return { tenant, ...relayList, bills };
};
