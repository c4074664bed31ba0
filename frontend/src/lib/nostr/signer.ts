// The ways a person signs: a NIP-07 extension, a NIP-46 remote signer, or a secret key
// (nsec / NIP-49 ncryptsec) held only in this tab's memory.
import { finalizeEvent, getPublicKey } from 'nostr-tools/pure';
import { decode } from 'nostr-tools/nip19';
import { hexToBytes } from '@noble/hashes/utils.js';

export interface EventTemplate {
	kind: number;
	created_at: number;
	tags: string[][];
	content: string;
}

export interface SignedEvent extends EventTemplate {
	id: string;
	pubkey: string;
	sig: string;
}

export type SignerKind = 'nip07' | 'nip46' | 'secret';

export interface Signer {
	readonly kind: SignerKind;
	getPublicKey(): Promise<string>;
	signEvent(template: EventTemplate): Promise<SignedEvent>;
	close?(): void;
}

interface Nip07 {
	getPublicKey(): Promise<string>;
	signEvent(t: EventTemplate): Promise<SignedEvent>;
}

function extension(): Nip07 | undefined {
	return (globalThis as { nostr?: Nip07 }).nostr;
}

export function hasExtension(): boolean {
	return extension() !== undefined;
}

export function nip07Signer(): Signer {
	const ext = extension();
	if (!ext) throw new Error('No Nostr extension found. Install one (such as Alby or nos2x) or use another way in.');
	return {
		kind: 'nip07',
		getPublicKey: () => ext.getPublicKey(),
		signEvent: (t) => ext.signEvent(t),
	};
}

export function secretKeySigner(secret: Uint8Array): Signer {
	const pubkey = getPublicKey(secret);
	return {
		kind: 'secret',
		getPublicKey: async () => pubkey,
		signEvent: async (t) => finalizeEvent(t, secret) as SignedEvent,
	};
}

/** Reads an nsec, an ncryptsec (needs `password`) or 64 hex characters into secret key bytes. */
export async function parseSecret(input: string, password = ''): Promise<Uint8Array> {
	const text = input.trim();
	if (text.startsWith('ncryptsec1')) {
		if (!password) throw new Error('This key is encrypted (ncryptsec): enter its password.');
		const { decrypt } = await import('nostr-tools/nip49');
		try {
			return decrypt(text, password);
		} catch {
			throw new Error('Wrong password, or the ncryptsec is damaged.');
		}
	}
	if (text.startsWith('nsec1')) {
		try {
			const d = decode(text);
			if (d.type === 'nsec') return d.data;
		} catch {
			/* reported below */
		}
		throw new Error('That nsec is not valid.');
	}
	if (/^[0-9a-f]{64}$/i.test(text)) return hexToBytes(text.toLowerCase());
	throw new Error('Paste an nsec1…, an ncryptsec1… or a 64-character hex secret key.');
}

/** A NIP-46 signer from a bunker:// URL (or NIP-05 name of a bunker). */
export async function bunkerSigner(input: string, onAuth: (url: string) => void): Promise<Signer> {
	const { BunkerSigner, parseBunkerInput } = await import('nostr-tools/nip46');
	const { generateSecretKey } = await import('nostr-tools/pure');
	const pointer = await parseBunkerInput(input.trim());
	if (!pointer) throw new Error('That is not a bunker:// URL.');
	const remote = BunkerSigner.fromBunker(generateSecretKey(), pointer, { onauth: onAuth });
	await remote.connect();
	return wrapRemote(remote);
}

/** Starts a nostrconnect:// session; `ready` resolves once the remote signer answers. */
export async function nostrConnect(
	relays: string[],
	signal: AbortSignal,
): Promise<{ uri: string; ready: Promise<Signer> }> {
	const { BunkerSigner, createNostrConnectURI } = await import('nostr-tools/nip46');
	const { generateSecretKey } = await import('nostr-tools/pure');
	const { bytesToHex } = await import('@noble/hashes/utils.js');
	const clientSecret = generateSecretKey();
	const uri = createNostrConnectURI({
		clientPubkey: getPublicKey(clientSecret),
		relays,
		secret: bytesToHex(generateSecretKey()).slice(0, 16),
		name: 'Caravel',
		perms: ['sign_event:27235', 'sign_event:0'],
	});
	const ready = BunkerSigner.fromURI(clientSecret, uri, {}, signal).then(wrapRemote);
	return { uri, ready };
}

interface Remote {
	getPublicKey(): Promise<string>;
	signEvent(t: EventTemplate): Promise<SignedEvent>;
	close(): Promise<void>;
}

function wrapRemote(remote: Remote): Signer {
	return {
		kind: 'nip46',
		getPublicKey: () => remote.getPublicKey(),
		signEvent: (t) => remote.signEvent(t),
		close: () => void remote.close(),
	};
}
