import { nodes } from '$lib/api';
import { attempt } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, parent }) => {
	await parent(); // the session first: the call is signed
	return { nodes: await attempt(nodes.list(), url) };
};
