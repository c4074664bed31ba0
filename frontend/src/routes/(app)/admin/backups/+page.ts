import { backups } from '$lib/api';
import { attempt } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, parent }) => {
	await parent(); // the session first: every call below is signed
	return { backups: await attempt(backups.list(), url) };
};
