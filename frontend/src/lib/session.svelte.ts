// Who is signed in: the signer (kept only in memory), their identity from the API and their
// kind-0 profile. A NIP-07 sign-in is remembered across reloads; secret keys never are.
import { goto } from '$app/navigation';
import { identity as fetchIdentity, platform, setSigner, type Identity } from '$lib/api';
import { classify } from '$lib/api/error';
import { npubEncode } from 'nostr-tools/nip19';
import { nip07Signer, hasExtension, type Signer } from '$lib/nostr/signer';
import { loadProfile, PROFILE_RELAYS, type Profile } from '$lib/nostr/profile';
import { toast } from '$lib/toast.svelte';

const REMEMBER = 'caravel.signin';

class Session {
	signer = $state<Signer | null>(null);
	pubkey = $state<string | null>(null);
	identity = $state<Identity | null>(null);
	profile = $state<Profile | null>(null);
	/** True until a remembered sign-in has been tried on start-up. */
	restoring = $state(true);

	get npub(): string | null {
		return this.pubkey ? npubEncode(this.pubkey) : null;
	}
	get isAdmin(): boolean {
		return this.identity?.is_admin ?? false;
	}
	get displayName(): string {
		const n = this.npub ?? '';
		return this.profile?.name || (n ? `${n.slice(0, 10)}…${n.slice(-4)}` : '');
	}

	async signIn(signer: Signer) {
		const pubkey = await signer.getPublicKey();
		setSigner(signer);
		try {
			this.identity = await fetchIdentity();
		} catch (e) {
			setSigner(null);
			throw e;
		}
		this.signer?.close?.();
		this.signer = signer;
		this.pubkey = pubkey;
		if (signer.kind === 'nip07') localStorage.setItem(REMEMBER, 'nip07');
		else localStorage.removeItem(REMEMBER);
		void profileRelays()
			.then((relays) => loadProfile(pubkey, relays))
			.then((p) => {
				if (this.pubkey === pubkey) this.profile = p;
			});
	}

	async refreshIdentity() {
		if (this.signer) this.identity = await fetchIdentity();
	}

	signOut() {
		this.signer?.close?.();
		this.signer = null;
		this.pubkey = null;
		this.identity = null;
		this.profile = null;
		setSigner(null);
		localStorage.removeItem(REMEMBER);
	}

	#restored: Promise<void> | null = null;
	/** Resolves once a remembered sign-in has been tried (loaders wait for it before calling the API). */
	ready(): Promise<void> {
		return (this.#restored ??= this.#restore());
	}

	/** Re-signs-in with a remembered NIP-07 extension (it may inject itself a little late). */
	async #restore() {
		try {
			if (localStorage.getItem(REMEMBER) !== 'nip07') return;
			for (let i = 0; i < 20 && !hasExtension(); i++) await new Promise((r) => setTimeout(r, 50));
			if (hasExtension()) await this.signIn(nip07Signer());
		} catch {
			localStorage.removeItem(REMEMBER);
		} finally {
			this.restoring = false;
		}
	}
}

export const session = new Session();

/** Public profile relays plus the platform's indexer relays (from GET /api/platform). */
export async function profileRelays(): Promise<string[]> {
	const own = await platform()
		.then((p) => p.indexer_relays.filter((r) => /^wss?:\/\//.test(r)))
		.catch(() => [] as string[]);
	return [...own, ...PROFILE_RELAYS].filter((r, i, all) => all.indexOf(r) === i);
}

/** The login page, sending a person back to `from` (by default where they are) afterwards. */
export function loginUrl(from: { pathname: string; search: string } = location): string {
	const here = from.pathname + from.search;
	return here.startsWith('/login') ? '/login' : `/login?next=${encodeURIComponent(here)}`;
}

/** Ends the session after the server refused it, saying why; returns the login page to go to. */
export function endSession(message: string, from?: URL): string {
	const to = loginUrl(from);
	session.signOut();
	toast(message, 'error');
	return to;
}

/**
 * The one error handler: a 401 ends the session and goes to login with the place kept;
 * anything else becomes a toast with the server's message. Returns the field error when the
 * calling form has that field, so the form can show it next to the input.
 */
export function reportError(e: unknown, formFields: readonly string[] = []): { field: string; message: string } | null {
	const action = classify(e, formFields);
	if (action.kind === 'login') {
		void goto(endSession(action.message));
		return null;
	}
	if (action.kind === 'field') return { field: action.field, message: action.message };
	toast(action.message, 'error');
	return null;
}
