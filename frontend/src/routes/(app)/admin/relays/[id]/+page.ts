import { nodes } from '$lib/api';
import { optional } from '$lib/load';
import { loadRelay } from '$lib/relays';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, params, parent }) => {
	await parent(); // the session first: every call below is signed
	// Without the nodes the page still shows the relay; only moving it waits.
	const [relay, nodeList] = await Promise.all([loadRelay(url, params.id), optional(nodes.list(), null)]);
	return { ...relay, nodes: nodeList };
};
