import { relays, tenants, oneOf, TENANT_STATUSES, type TenantList } from '$lib/api';
import { attempt } from '$lib/load';
import { keySearch } from '$lib/keys';
import { LIMIT, readList } from '$lib/paged.svelte';
import type { PageLoad } from './$types';

export const _FILTERS = { q: '', status: '' };

export const load: PageLoad = async ({ url, parent }) => {
	await parent(); // the session first: every call below is signed
	const { filters, offset } = readList(url, _FILTERS);
	const status = oneOf(filters.status, TENANT_STATUSES);
	const search = keySearch(filters.q);
	const call = search?.kind === 'name' ? byRelayName(search.value, status, offset) : tenants.list({ q: search?.value, status, limit: LIMIT, offset });
	return { list: await attempt(call, url) };
};

/**
 * Tenants have no names on the server, so a name finds the owners of the relays it names
 * (the server matches relay names and subdomains), one page of owners at a time.
 */
async function byRelayName(name: string, status: string | undefined, offset: number): Promise<TenantList> {
	const found = await relays.list({ q: name, limit: 200 });
	const owners = [...new Set(found.items.map((r) => r.tenant))];
	const all = await Promise.all(owners.map((pubkey) => tenants.get(pubkey)));
	const items = all.filter((t) => !status || t.status === status);
	return { items: items.slice(offset, offset + LIMIT), total: items.length, limit: LIMIT, offset };
}
