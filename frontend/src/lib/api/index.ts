// The app's API instance and typed calls, one per route the pages use.
import { createApi, unwrap, type Paths } from './client';
import type { components } from './schema';
import type { Signer } from '$lib/nostr/signer';
import { authorization } from '$lib/nostr/nip98';
import { toApiError } from './error';

type Schemas = components['schemas'];
export type Relay = Schemas['RelayView'];
export type RelayList = Schemas['RelayList'];
export type Invoice = Schemas['InvoiceView'];
export type InvoiceList = Schemas['InvoiceList'];
export type Tenant = Schemas['TenantView'];
export type TenantList = Schemas['TenantList'];
export type Plan = Schemas['PlanView'];
export type Identity = Schemas['Identity'];
export type Availability = Schemas['Availability'];
export type CreateRelay = Schemas['CreateRelay'];
export type UpdateRelay = Schemas['UpdateRelay'];
export type Platform = Schemas['PlatformView'];
export type Message = Schemas['MessageView'];
export type MessageList = Schemas['MessageList'];
export type Stats = Schemas['Stats'];
export type Backups = Schemas['BackupsView'];
export type Policies = Schemas['Policies'];
export type Members = Schemas['MembersView'];
export type Member = Schemas['MemberView'];
export type Roles = Schemas['RolesView'];
export type RoleHolder = Schemas['RoleView'];
export type RelayRole = Schemas['RelayRole'];
export type HeldRole = Schemas['HeldRole'];
export type Invite = Schemas['InviteView'];
export type InviteState = Schemas['InviteState'];
export type InvitePreview = Schemas['InvitePreview'];
export type Report = Schemas['ReportView'];
export type Bans = Schemas['Bans'];
export type NodeView = Schemas['NodeView']; // not `Node`: that is the DOM's
export type NodeList = Schemas['NodeList'];
export type NewNode = Schemas['NewNode'];
export type NodeChanges = Schemas['NodeChanges'];
export { ApiError } from './error';

// Statuses as the OpenAPI document declares them (unions once the server names its enums).
export type RelayStatus = Relay['status'];
export type SyncState = Relay['sync']['state'];
export type InvoiceStatus = Invoice['status'];
export type TenantStatus = Tenant['status'];
export type MessageState = Message['state'];
export type NodeState = NodeView['state'];
export type NodeHealth = NodeView['health'];
export type RelayMove = NonNullable<Relay['move']>;
export type MoveStep = RelayMove['step'];
export const RELAY_STATUSES = ['pending', 'active', 'suspended', 'inactive'] as const satisfies readonly RelayStatus[];
export const SYNC_STATES = ['synced', 'pending', 'failing'] as const satisfies readonly SyncState[];
export const INVOICE_STATUSES = ['open', 'paid', 'void'] as const satisfies readonly InvoiceStatus[];
export const TENANT_STATUSES = ['active', 'inactive'] as const satisfies readonly TenantStatus[];
export const MESSAGE_STATES = ['pending', 'sent', 'failing'] as const satisfies readonly MessageState[];
export const RELAY_ROLES = ['admin', 'inviter'] as const satisfies readonly RelayRole[];
export const NODE_STATES = ['active', 'draining', 'down'] as const satisfies readonly NodeState[];
export const MOVE_STEPS = ['preparing', 'switching', 'retiring'] as const satisfies readonly MoveStep[];

/** `value` when it is one of `allowed` (a filter read from the URL), else undefined. */
export function oneOf<T extends string>(value: string | null | undefined, allowed: readonly T[]): T | undefined {
	return allowed.find((a) => a === value);
}

let signer: Signer | null = null;
export function setSigner(s: Signer | null) {
	signer = s;
}

const origin = typeof location === 'undefined' ? 'http://127.0.0.1:3000' : location.origin;
export const api = createApi(origin, () => signer);

type Query<P extends keyof Paths> = Paths[P] extends { get: { parameters: { query?: infer Q } } } ? NonNullable<Q> : never;
export type RelayQuery = Query<'/api/relays'>;
export type InvoiceQuery = Query<'/api/invoices'>;
export type TenantQuery = Query<'/api/tenants'>;
export type MessageQuery = Query<'/api/messages'>;

export const plans = () => unwrap(api.GET('/api/plans'));
export const platform = () => unwrap(api.GET('/api/platform'));
export const identity = () => unwrap(api.GET('/api/identity'));

export const relays = {
	list: (query: RelayQuery) => unwrap(api.GET('/api/relays', { params: { query: clean(query) } })),
	get: (id: string) => unwrap(api.GET('/api/relays/{id}', { params: { path: { id } } })),
	create: (body: CreateRelay) => unwrap(api.POST('/api/relays', { body })),
	update: (id: string, body: UpdateRelay) => unwrap(api.PUT('/api/relays/{id}', { params: { path: { id } }, body })),
	deactivate: (id: string) => unwrap(api.POST('/api/relays/{id}/deactivate', { params: { path: { id } } })),
	reactivate: (id: string) => unwrap(api.POST('/api/relays/{id}/reactivate', { params: { path: { id } } })),
	sync: (id: string) => unwrap(api.POST('/api/relays/{id}/sync', { params: { path: { id } } })),
	availability: (subdomain: string) =>
		unwrap(api.GET('/api/relays/availability', { params: { query: { subdomain } } })),
	setPolicies: (id: string, body: Policies) => unwrap(api.PUT('/api/relays/{id}/policies', { params: { path: { id } }, body })),
	/** Starts moving the relay to `node` (admins); the answer (202) carries the move in progress. */
	move: (id: string, node: string) => unwrap(api.POST('/api/relays/{id}/move', { params: { path: { id } }, body: { node } })),
};

/** The zooid nodes relays are placed on (admins). */
export const nodes = {
	list: () => unwrap(api.GET('/api/nodes')),
	create: (body: NewNode) => unwrap(api.POST('/api/nodes', { body })),
	update: (id: string, body: NodeChanges) => unwrap(api.PATCH('/api/nodes/{id}', { params: { path: { id } }, body })),
};

/** A relay's members, read from the relay itself (owner, co-admins and admins). */
export const members = {
	list: (id: string) => unwrap(api.GET('/api/relays/{id}/members', { params: { path: { id } } })),
	/** `added` is false when the key was already a member (200 rather than 201). */
	add: async (id: string, pubkey: string) => {
		const answer = await api.POST('/api/relays/{id}/members', { params: { path: { id } }, body: { pubkey } });
		return { members: await unwrap(Promise.resolve(answer)), added: answer.response.status === 201 };
	},
	remove: (id: string, pubkey: string) =>
		unwrap(api.DELETE('/api/relays/{id}/members/{pubkey}', { params: { path: { id, pubkey } } })),
};

/** Who helps run a relay: co-admins and inviters (the owner appoints them). */
export const roles = {
	list: (id: string) => unwrap(api.GET('/api/relays/{id}/roles', { params: { path: { id } } })),
	set: (id: string, pubkey: string, role: RelayRole) =>
		unwrap(api.PUT('/api/relays/{id}/roles/{pubkey}', { params: { path: { id, pubkey } }, body: { role } })),
	remove: (id: string, pubkey: string) =>
		unwrap(api.DELETE('/api/relays/{id}/roles/{pubkey}', { params: { path: { id, pubkey } } })),
};

/** Invite links to a relay (owner, co-admins and admins make and revoke them). */
export const invites = {
	list: (id: string) => unwrap(api.GET('/api/relays/{id}/invites', { params: { path: { id } } })),
	create: (id: string, body: Schemas['NewInvite']) => unwrap(api.POST('/api/relays/{id}/invites', { params: { path: { id } }, body })),
	revoke: (id: string, invite: string) =>
		unwrap(api.DELETE('/api/relays/{id}/invites/{invite}', { params: { path: { id, invite } } })),
	/** What a link invites to: public, no sign-in needed. */
	preview: (code: string) => unwrap(api.GET('/api/invites/{code}', { params: { path: { code } } })),
	join: (code: string) => unwrap(api.POST('/api/invites/{code}/join', { params: { path: { code } } })),
};

/** Reports made on a relay and what it has banned (owner, co-admins and admins). */
export const moderation = {
	reports: (id: string, query: { until?: number; limit?: number } = {}) =>
		unwrap(api.GET('/api/relays/{id}/reports', { params: { path: { id }, query: clean(query) } })),
	bans: (id: string) => unwrap(api.GET('/api/relays/{id}/bans', { params: { path: { id } } })),
	banPubkey: (id: string, pubkey: string, reason: string) =>
		unwrap(api.POST('/api/relays/{id}/bans/pubkeys', { params: { path: { id } }, body: { pubkey, reason } })),
	liftPubkey: (id: string, pubkey: string, reason: string) =>
		unwrap(api.DELETE('/api/relays/{id}/bans/pubkeys/{pubkey}', { params: { path: { id, pubkey }, query: { reason } } })),
	removeEvent: (id: string, event: string, reason: string) =>
		unwrap(api.POST('/api/relays/{id}/bans/events', { params: { path: { id } }, body: { event, reason } })),
	restoreEvent: (id: string, event: string, reason: string) =>
		unwrap(api.DELETE('/api/relays/{id}/bans/events/{event}', { params: { path: { id, event }, query: { reason } } })),
};

/** The relays on which the signed-in user is a co-admin or inviter. */
export const heldRoles = () => unwrap(api.GET('/api/relays/roles'));

export const invoices = {
	list: (query: InvoiceQuery) => unwrap(api.GET('/api/invoices', { params: { query: clean(query) } })),
	get: (id: string) => unwrap(api.GET('/api/invoices/{id}', { params: { path: { id } } })),
	check: (id: string) => unwrap(api.POST('/api/invoices/{id}/check', { params: { path: { id } } })),
	markPaid: (id: string, reason: string) =>
		unwrap(api.POST('/api/invoices/{id}/mark-paid', { params: { path: { id } }, body: { reason } })),
	void: (id: string, reason: string) =>
		unwrap(api.POST('/api/invoices/{id}/void', { params: { path: { id } }, body: { reason } })),
};

export const tenants = {
	list: (query: TenantQuery) => unwrap(api.GET('/api/tenants', { params: { query: clean(query) } })),
	get: (pubkey: string) => unwrap(api.GET('/api/tenants/{pubkey}', { params: { path: { pubkey } } })),
	register: () => unwrap(api.POST('/api/tenants')),
	setBilling: (pubkey: string, nwc_url: string | null) =>
		unwrap(api.PUT('/api/tenants/{pubkey}/billing', { params: { path: { pubkey } }, body: { nwc_url } })),
	deactivate: (pubkey: string) =>
		unwrap(api.POST('/api/tenants/{pubkey}/deactivate', { params: { path: { pubkey } } })),
	activate: (pubkey: string) => unwrap(api.POST('/api/tenants/{pubkey}/activate', { params: { path: { pubkey } } })),
};

export const messages = {
	list: (query: MessageQuery) => unwrap(api.GET('/api/messages', { params: { query: clean(query) } })),
};

export const stats = () => unwrap(api.GET('/api/stats'));

/** Drops empty filters so the query string (and the signed `u` tag) carries only real ones. */
function clean<T extends object>(query: T): T {
	return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== '' && v !== null)) as T;
}

export const backups = {
	list: () => unwrap(api.GET('/api/backups')),
};

/**
 * Streams a relay's events (`application/x-ndjson`, one per line) with a NIP-98 signature for
 * the exact URL, calling `progress` with the running count; resolves to the whole body as a Blob.
 * Not through openapi-fetch: that would buffer the body before counting could begin.
 */
export async function exportEvents(id: string, progress: (events: number) => void): Promise<{ blob: Blob; events: number }> {
	const url = `${origin}/api/relays/${encodeURIComponent(id)}/export`;
	const headers: Record<string, string> = { Accept: 'application/x-ndjson' };
	if (signer) headers.Authorization = await authorization(signer, url, 'GET');
	const response = await fetch(url, { headers });
	if (!response.ok || !response.body) {
		const body = await response.json().catch(() => null);
		throw toApiError(response.status, body, response.headers.get('Retry-After'));
	}
	const reader = response.body.getReader();
	const parts: Uint8Array[] = [];
	let events = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		parts.push(value);
		for (const byte of value) if (byte === 10) events++;
		progress(events);
	}
	// A last line without its newline is an event too.
	const last = parts.at(-1);
	if (last && last.length && last[last.length - 1] !== 10) progress(++events);
	return { blob: new Blob(parts as BlobPart[], { type: 'application/x-ndjson' }), events };
}
