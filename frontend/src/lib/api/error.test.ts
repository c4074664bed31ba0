import { describe, expect, it } from 'vitest';
import { ApiError, classify, toApiError, toError } from './error';
import { unwrap } from './client';

describe('API errors', () => {
	it('carry the server code, message and field', () => {
		const e = toApiError(422, { error: { code: 'relay/invalid-subdomain', message: 'Too short.', field: 'subdomain' } });
		expect(e).toBeInstanceOf(ApiError);
		expect([e.status, e.code, e.message, e.field]).toEqual([422, 'relay/invalid-subdomain', 'Too short.', 'subdomain']);
	});

	it('keep the seconds a server asks to wait (Retry-After)', async () => {
		const body = { error: { code: 'relay/unreachable', message: 'The relay did not answer.' } };
		expect(toApiError(503, body, '5').retryAfter).toBe(5);
		expect(toApiError(503, body, 'Wed, 21 Oct 2015 07:28:00 GMT').retryAfter).toBeUndefined();
		expect(toApiError(503, body).retryAfter).toBeUndefined();
		const busy = new Response('{}', { status: 503, headers: { 'Retry-After': '3' } });
		await expect(unwrap(Promise.resolve({ error: body, response: busy }))).rejects.toMatchObject({ code: 'relay/unreachable', retryAfter: 3 });
	});

	it('survive bodies that are not the error format', () => {
		expect(toApiError(502, 'Bad gateway').message).toBe('The server answered 502.');
		expect(toApiError(500, null).code).toBe('http/500');
	});

	it('turn network failures into a readable message', () => {
		expect(toError(new TypeError('Failed to fetch')).code).toBe('network');
	});

	it('send 401s back to login, field errors to their field, the rest to a toast', () => {
		const expired = toApiError(401, { error: { code: 'auth/expired', message: 'Too old.' } });
		expect(classify(expired).kind).toBe('login');
		const field = toApiError(422, { error: { code: 'relay/invalid-name', message: 'Bad name.', field: 'name' } });
		expect(classify(field, ['name', 'subdomain'])).toEqual({ kind: 'field', field: 'name', message: 'Bad name.' });
		expect(classify(field, ['plan'])).toEqual({ kind: 'toast', message: 'Bad name.' });
		const taken = toApiError(409, { error: { code: 'relay/subdomain-taken', message: 'Taken.' } });
		expect(classify(taken)).toEqual({ kind: 'toast', message: 'Taken.' });
	});

	it('a relay refused for lack of room is told in the server’s words (the create form toasts it)', () => {
		const message = 'The platform has no room for a new relay right now; the operators have been told. Try again later.';
		const full = toApiError(503, { error: { code: 'relay/no-capacity', message } });
		expect(classify(full, ['name', 'subdomain', 'icon', 'description', 'plan'])).toEqual({ kind: 'toast', message });
	});

	it('unwrap returns data or throws the ApiError', async () => {
		const ok = new Response('{}', { status: 200 });
		expect(await unwrap(Promise.resolve({ data: { a: 1 }, response: ok }))).toEqual({ a: 1 });
		const bad = new Response('{}', { status: 403 });
		const error = { error: { code: 'auth/admin-only', message: 'Admins only.' } };
		await expect(unwrap(Promise.resolve({ error, response: bad }))).rejects.toMatchObject({ status: 403, code: 'auth/admin-only' });
	});
});
