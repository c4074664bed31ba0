// Routes other engineers are building that are not in /api/openapi.json yet, typed from their
// agreed contracts so the one client can call them. Pages treat a 404 `route/not-found` from
// these as "not available yet". Drop an entry once `npm run api:types` brings it in.
import type { components } from './schema';

type Json<T> = { headers: { [name: string]: unknown }; content: { 'application/json': T } };
type ErrorResponse = Json<components['schemas']['ErrorBody']>;
type Invoice = components['schemas']['InvoiceView'];
type Relay = components['schemas']['RelayView'];
type IdPath = { query?: never; header?: never; path: { id: string }; cookie?: never };
type NoParams = { query?: never; header?: never; path?: never; cookie?: never };

type Responses<Res> = { 200: Json<Res>; 400: ErrorResponse; 401: ErrorResponse; 403: ErrorResponse; 404: ErrorResponse; 409: ErrorResponse; 422: ErrorResponse };
type Rest = { get?: never; put?: never; delete?: never; options?: never; head?: never; patch?: never; trace?: never };
type Post<P, Res> = Rest & { parameters: P; post: { parameters: P; requestBody?: never; responses: Responses<Res> } };
type PostJson<P, Body, Res> = Rest & {
	parameters: P;
	post: { parameters: P; requestBody: { content: { 'application/json': Body } }; responses: Responses<Res> };
};

/** `GET /api/platform`: the platform's Nostr identity. */
export interface Platform {
	npub: string;
	pubkey: string;
	name?: string;
	about?: string;
	picture?: string;
	relays?: string[];
}

export interface Reason {
	reason: string;
}

export interface PendingPaths {
	'/api/relays/{id}/sync': Post<IdPath, Relay>;
	'/api/invoices/{id}/check': Post<IdPath, Invoice>;
	'/api/invoices/{id}/mark-paid': PostJson<IdPath, Reason, Invoice>;
	'/api/invoices/{id}/void': PostJson<IdPath, Reason, Invoice>;
	'/api/platform': {
		parameters: NoParams;
		get: { parameters: NoParams; requestBody?: never; responses: { 200: Json<Platform>; 404: ErrorResponse } };
		put?: never;
		post?: never;
		delete?: never;
		options?: never;
		head?: never;
		patch?: never;
		trace?: never;
	};
}
