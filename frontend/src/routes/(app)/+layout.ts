// Pages behind sign-in: without a session, go to login with the place kept.
import { redirect } from '@sveltejs/kit';
import { loginUrl, session } from '$lib/session.svelte';
import type { LayoutLoad } from './$types';

export const load: LayoutLoad = async ({ parent, url }) => {
	await parent();
	if (!session.pubkey) redirect(307, loginUrl(url));
};
