import { backups, stats } from '$lib/api';
import { attempt } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, parent }) => {
	await parent(); // the session first: the call is signed
	const [s, b] = await Promise.all([attempt(stats(), url), attempt(backups.list(), url)]);
	return { stats: s, backups: b };
};
