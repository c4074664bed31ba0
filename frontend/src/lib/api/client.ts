// The one API client: typed from the OpenAPI document, every request signed with NIP-98
// for its exact URL, method and body bytes, and every error turned into an ApiError.
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { authorization } from '$lib/nostr/nip98';
import type { Signer } from '$lib/nostr/signer';
import { toApiError } from './error';

export type Paths = paths;

/** Routes that need no signature (signing them would only cost a remote signer a round trip). */
const PUBLIC = new Set(['/api/plans', '/api/platform', '/api/health', '/api/ready', '/api/openapi.json']);

export function signingMiddleware(getSigner: () => Signer | null): Middleware {
	return {
		async onRequest({ request }) {
			const signer = getSigner();
			if (!signer || PUBLIC.has(new URL(request.url).pathname)) return request;
			// Hash the exact string being sent, not a re-serialisation of the body object.
			const body = request.body ? await request.clone().text() : null;
			request.headers.set('Authorization', await authorization(signer, request.url, request.method, body));
			return request;
		},
	};
}

export function createApi(baseUrl: string, getSigner: () => Signer | null, fetchImpl?: typeof fetch) {
	const client = createClient<Paths>({ baseUrl, fetch: fetchImpl });
	client.use(signingMiddleware(getSigner));
	return client;
}

export type Api = ReturnType<typeof createApi>;

type Result<T> = { data?: T; error?: unknown; response: Response };

/** The data of a successful call, or throws the ApiError the server answered. */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
	const { data, error, response } = await call;
	if (!response.ok || error !== undefined) throw toApiError(response.status, error ?? null, response.headers.get('Retry-After'));
	return data as T;
}
