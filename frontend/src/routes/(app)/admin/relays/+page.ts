import { loadRelayList } from '$lib/relays';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ url }) => loadRelayList(url);
