import { plans } from '$lib/api';
import { attempt } from '$lib/load';
import type { PageLoad } from './$types';

// Not awaited: the page shows at once and the plan table follows (the first visit's speed).
export const load: PageLoad = ({ url }) => ({ plans: attempt(plans(), url) });
