// A person's kind-0 profile (name, picture) from public relays, best effort: the UI falls back
// to the npub when nothing answers within a few seconds.
export interface Profile {
	name?: string;
	picture?: string;
}

export const PROFILE_RELAYS = ['wss://purplepag.es', 'wss://relay.damus.io', 'wss://relay.primal.net'];

export function parseProfile(content: string): Profile | null {
	try {
		const meta = JSON.parse(content) as Record<string, unknown>;
		const name = [meta.display_name, meta.name].find((v) => typeof v === 'string' && v.trim()) as string | undefined;
		const picture = typeof meta.picture === 'string' && /^https?:\/\//.test(meta.picture) ? meta.picture : undefined;
		return name || picture ? { name: name?.trim().slice(0, 64), picture } : null;
	} catch {
		return null;
	}
}

export async function loadProfile(pubkey: string, relays = PROFILE_RELAYS, timeoutMs = 4000): Promise<Profile | null> {
	if (typeof WebSocket === 'undefined' || relays.length === 0) return null;
	try {
		const { SimplePool } = await import('nostr-tools/pool');
		const pool = new SimplePool();
		const event = await pool.get(relays, { kinds: [0], authors: [pubkey] }, { maxWait: timeoutMs });
		pool.close(relays);
		return event ? parseProfile(event.content) : null;
	} catch {
		return null;
	}
}
