import { loadRelayEdit } from '$lib/relays';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ url, params }) => loadRelayEdit(url, params.id);
