import { plans } from '$lib/api';
import { attempt } from '$lib/load';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url }) => ({ plans: await attempt(plans(), url) });
