import { loadRelay } from '$lib/relays';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ url, params }) => loadRelay(url, params.id);
