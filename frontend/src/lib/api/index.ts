// The app's API instance and typed calls, one per route the pages use.
import { createApi, unwrap } from './client';
import type { components } from './schema';
import type { Signer } from '$lib/nostr/signer';

export type Relay = components['schemas']['RelayView'];
export type RelayList = components['schemas']['RelayList'];
export type Invoice = components['schemas']['InvoiceView'];
export type InvoiceList = components['schemas']['InvoiceList'];
export type Tenant = components['schemas']['TenantView'];
export type TenantList = components['schemas']['TenantList'];
export type Plan = components['schemas']['PlanView'];
export type Identity = components['schemas']['Identity'];
export type Availability = components['schemas']['Availability'];
export type CreateRelay = components['schemas']['CreateRelay'];
export type UpdateRelay = components['schemas']['UpdateRelay'];
export type Platform = components['schemas']['PlatformView'];
export type Message = components['schemas']['MessageView'];
export type MessageList = components['schemas']['MessageList'];
export { ApiError } from './error';

let signer: Signer | null = null;
export function setSigner(s: Signer | null) {
	signer = s;
}

const origin = typeof location === 'undefined' ? 'http://127.0.0.1:3000' : location.origin;
export const api = createApi(origin, () => signer);

export interface Page {
	limit?: number;
	offset?: number;
}

export const plans = () => unwrap(api.GET('/api/plans'));
export const platform = () => unwrap(api.GET('/api/platform'));
export const identity = () => unwrap(api.GET('/api/identity'));

export const relays = {
	list: (query: { q?: string; status?: string; plan?: string; tenant?: string } & Page) =>
		unwrap(api.GET('/api/relays', { params: { query: clean(query) } })),
	get: (id: string) => unwrap(api.GET('/api/relays/{id}', { params: { path: { id } } })),
	create: (body: CreateRelay) => unwrap(api.POST('/api/relays', { body })),
	update: (id: string, body: UpdateRelay) => unwrap(api.PUT('/api/relays/{id}', { params: { path: { id } }, body })),
	deactivate: (id: string) => unwrap(api.POST('/api/relays/{id}/deactivate', { params: { path: { id } } })),
	reactivate: (id: string) => unwrap(api.POST('/api/relays/{id}/reactivate', { params: { path: { id } } })),
	sync: (id: string) => unwrap(api.POST('/api/relays/{id}/sync', { params: { path: { id } } })),
	availability: (subdomain: string) =>
		unwrap(api.GET('/api/relays/availability', { params: { query: { subdomain } } })),
};

export const invoices = {
	list: (query: { status?: string; relay?: string; tenant?: string } & Page) =>
		unwrap(api.GET('/api/invoices', { params: { query: clean(query) } })),
	get: (id: string) => unwrap(api.GET('/api/invoices/{id}', { params: { path: { id } } })),
	check: (id: string) => unwrap(api.POST('/api/invoices/{id}/check', { params: { path: { id } } })),
	markPaid: (id: string, reason: string) =>
		unwrap(api.POST('/api/invoices/{id}/mark-paid', { params: { path: { id } }, body: { reason } })),
	void: (id: string, reason: string) =>
		unwrap(api.POST('/api/invoices/{id}/void', { params: { path: { id } }, body: { reason } })),
};

export const tenants = {
	list: (query: { q?: string; status?: string } & Page) =>
		unwrap(api.GET('/api/tenants', { params: { query: clean(query) } })),
	get: (pubkey: string) => unwrap(api.GET('/api/tenants/{pubkey}', { params: { path: { pubkey } } })),
	register: () => unwrap(api.POST('/api/tenants')),
	setBilling: (pubkey: string, nwc_url: string | null) =>
		unwrap(api.PUT('/api/tenants/{pubkey}/billing', { params: { path: { pubkey } }, body: { nwc_url } })),
	deactivate: (pubkey: string) =>
		unwrap(api.POST('/api/tenants/{pubkey}/deactivate', { params: { path: { pubkey } } })),
	activate: (pubkey: string) => unwrap(api.POST('/api/tenants/{pubkey}/activate', { params: { path: { pubkey } } })),
};

export const messages = {
	list: (query: { state?: string; recipient?: string } & Page) =>
		unwrap(api.GET('/api/messages', { params: { query: clean(query) } })),
};

/** Drops empty filters so the query string (and the signed `u` tag) carries only real ones. */
function clean<T extends object>(query: T): T {
	return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== '' && v !== null)) as T;
}
