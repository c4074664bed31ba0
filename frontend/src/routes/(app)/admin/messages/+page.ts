import { messages, oneOf, MESSAGE_STATES } from '$lib/api';
import { attempt } from '$lib/load';
import { hexKey } from '$lib/keys';
import { LIMIT, readList } from '$lib/paged.svelte';
import type { PageLoad } from './$types';

/** Failing messages first: they are the ones that need an admin. */
export const _FILTERS = { state: 'failing', recipient: '' };

export const load: PageLoad = async ({ url, parent }) => {
	await parent(); // the session first: every call below is signed
	const { filters, offset } = readList(url, _FILTERS);
	const query = { state: oneOf(filters.state, MESSAGE_STATES), recipient: hexKey(filters.recipient), limit: LIMIT, offset };
	return { list: await attempt(messages.list(query), url) };
};
