// Loaders shared by a tenant's relay pages and their admin twins.
import { invoices, plans, relays, oneOf, RELAY_STATUSES, SYNC_STATES } from '$lib/api';
import { attempt, optional } from '$lib/load';
import { LIMIT, readList } from '$lib/paged.svelte';

/** `over`: `true` lists only relays with more members than their plan allows (admins). */
export const RELAY_FILTERS = { q: '', status: '', plan: '', sync: '', over: '' };

/** One page of relays as the URL's filters ask (`tenant`: only theirs, for an admin). */
export async function loadRelayList(url: URL, tenant?: string) {
	const { filters, offset } = readList(url, RELAY_FILTERS);
	const [list, planList, due] = await Promise.all([
		attempt(
			relays.list({
				q: filters.q || undefined,
				status: oneOf(filters.status, RELAY_STATUSES),
				plan: filters.plan || undefined,
				sync: oneOf(filters.sync, SYNC_STATES),
				over_limit: filters.over === 'true' ? true : undefined,
				tenant,
				limit: LIMIT,
				offset,
			}),
			url,
		),
		optional(plans(), []),
		dueRelays(tenant),
	]);
	return { list, plans: planList, due };
}

/** Relays with an open invoice (they get a "payment due" badge). */
async function dueRelays(tenant?: string): Promise<Set<string>> {
	const open = await optional(invoices.list({ status: 'open', limit: 200, tenant }), null);
	return new Set(open?.items.flatMap((i) => (i.items ?? []).flatMap((it) => (it.relay_id ? [it.relay_id] : []))) ?? []);
}

/** One relay, its invoices and the plans (for its member limit and what its switches need). */
export async function loadRelay(url: URL, id: string) {
	const [relay, bills, planList] = await Promise.all([attempt(relays.get(id), url), attempt(invoices.list({ relay: id }), url), optional(plans(), [])]);
	return { relay, bills, plans: planList };
}

/** A relay to edit and the plans it can move to. */
export async function loadRelayEdit(url: URL, id: string) {
	const edit = await attempt(Promise.all([relays.get(id), plans()]).then(([relay, plans]) => ({ relay, plans, domain: relay.host.slice(relay.subdomain.length + 1) })), url);
	return { edit };
}

/**
 * The platform's relay domain, for the subdomain field's suffix. The API tells it only with an
 * available subdomain's host, so ask about one nobody will have taken.
 */
export async function relayDomain(): Promise<string> {
	const probe = `domain-probe-${Math.random().toString(36).slice(2, 10)}`;
	const answer = await optional(relays.availability(probe), null);
	return answer?.host?.slice(answer.subdomain.length + 1) ?? '';
}
