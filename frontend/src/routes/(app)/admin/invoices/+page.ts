import { invoices, oneOf, INVOICE_STATUSES } from '$lib/api';
import { attempt } from '$lib/load';
import { LIMIT, readList } from '$lib/paged.svelte';
import { hexKey } from '$lib/keys';
import type { PageLoad } from './$types';

/** Open invoices first: they are the ones an admin acts on. */
export const _FILTERS = { status: 'open', tenant: '' };

export const load: PageLoad = async ({ url, parent }) => {
	await parent(); // the session first: every call below is signed
	const { filters, offset } = readList(url, _FILTERS);
	const query = { status: oneOf(filters.status, INVOICE_STATUSES), tenant: hexKey(filters.tenant), limit: LIMIT, offset };
	return { list: await attempt(invoices.list(query), url) };
};
