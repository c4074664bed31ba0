import { identity, invoices, platform } from '$lib/api';
import { attempt, optional } from '$lib/load';
import { readList } from '$lib/paged.svelte';
import type { PageLoad } from './$types';

const BILLS_PER_PAGE = 20;

export const load: PageLoad = async ({ url, parent }) => {
	await parent(); // the session first: every call below is signed
	const { offset } = readList(url, {});
	const [tenant, bills, platformView] = await Promise.all([
		attempt(identity().then((id) => id.tenant ?? null), url),
		attempt(invoices.list({ limit: BILLS_PER_PAGE, offset }), url),
		// The platform's Nostr identity sends invoices and notices.
		optional(platform(), null),
	]);
	return { tenant, bills, platform: platformView };
};
