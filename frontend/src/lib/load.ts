// What a page's loader hands its page: the data, or the error to show with a retry. An ended
// session (401) does not reach the page: it goes to login with the place kept.
import { redirect } from '@sveltejs/kit';
import { classify, toError, type ApiError } from '$lib/api/error';
import { endSession } from '$lib/session.svelte';

export type Loaded<T> = { data: T; error: null } | { data: null; error: ApiError };

/** Awaits one API call for a loader; `from` is the URL being loaded (kept through login). */
export async function attempt<T>(call: Promise<T>, from: URL): Promise<Loaded<T>> {
	try {
		return { data: await call, error: null };
	} catch (e) {
		const action = classify(e);
		if (action.kind === 'login') redirect(307, endSession(action.message, from));
		return { data: null, error: toError(e) };
	}
}

/** The data of a call whose failure only costs an extra (a badge, a filter's options). */
export async function optional<T>(call: Promise<T>, fallback: T): Promise<T> {
	return call.catch(() => fallback);
}
