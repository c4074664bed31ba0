// One error type for everything the API (or the network) can answer, and one decision about
// what the user sees: a toast with the server's message, or a trip back to the login page.

export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly field?: string,
		/** Seconds the server asked to wait before trying again (`Retry-After`), when it said. */
		readonly retryAfter?: number,
	) {
		super(message);
		this.name = 'ApiError';
	}
}

/**
 * Builds an ApiError from a response and its parsed body (`{error:{code,message,field?}}`);
 * `retryAfter` is the response's `Retry-After` header, if any (seconds; dates are ignored).
 */
export function toApiError(status: number, body: unknown, retryAfter?: string | null): ApiError {
	const wait = retryAfter && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter.trim()) : undefined;
	const detail = (body as { error?: { code?: unknown; message?: unknown; field?: unknown } } | null)?.error;
	if (detail && typeof detail.code === 'string') {
		const message = typeof detail.message === 'string' && detail.message ? detail.message : detail.code;
		return new ApiError(status, detail.code, message, typeof detail.field === 'string' ? detail.field : undefined, wait);
	}
	return new ApiError(status, 'http/' + status, `The server answered ${status}.`, undefined, wait);
}

export function toError(e: unknown): ApiError {
	if (e instanceof ApiError) return e;
	if (e instanceof TypeError) return new ApiError(0, 'network', 'Could not reach the server. Check your connection and try again.');
	const message = e instanceof Error ? e.message : String(e);
	return new ApiError(0, 'client', message || 'Something went wrong.');
}

export type ErrorAction =
	| { kind: 'login'; message: string }
	| { kind: 'toast'; message: string }
	| { kind: 'field'; field: string; message: string };

/**
 * What to do with an error. 401s (expired, replayed, bad signature…) end the session: back to
 * login with the place kept. Field errors go next to their field when the form has it.
 */
export function classify(e: unknown, formFields: readonly string[] = []): ErrorAction {
	const err = toError(e);
	if (err.status === 401) return { kind: 'login', message: `Please sign in again: ${err.message}` };
	if (err.field && formFields.includes(err.field)) return { kind: 'field', field: err.field, message: err.message };
	return { kind: 'toast', message: err.message };
}
