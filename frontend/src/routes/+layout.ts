// A single-page app: everything renders in the browser, signed in with the user's own key.
import { session } from '$lib/session.svelte';
import type { LayoutLoad } from './$types';

export const ssr = false;
export const prerender = false;
export const trailingSlash = 'never';

// Every loader below waits for a remembered sign-in to be tried before it calls the API.
export const load: LayoutLoad = async () => {
	await session.ready();
};
