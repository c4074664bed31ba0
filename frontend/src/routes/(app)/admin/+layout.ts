// The admin area is reached by URL only; a non-admin is told plainly they may not enter.
import { error } from '@sveltejs/kit';
import { session } from '$lib/session.svelte';
import type { LayoutLoad } from './$types';

export const load: LayoutLoad = async ({ parent }) => {
	await parent();
	if (!session.isAdmin) error(403, 'This area is for platform administrators. Your key is not an admin key.');
};
