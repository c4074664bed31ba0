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

/** The newest kind 0 of each author among `events`, parsed (authors without a usable one left out). */
export function newestProfiles(events: readonly { pubkey: string; created_at: number; content: string }[]): Map<string, Profile> {
	const newest = new Map<string, { created_at: number; content: string }>();
	for (const e of events) {
		const seen = newest.get(e.pubkey);
		if (!seen || e.created_at > seen.created_at) newest.set(e.pubkey, e);
	}
	const out = new Map<string, Profile>();
	for (const [pubkey, e] of newest) {
		const profile = parseProfile(e.content);
		if (profile) out.set(pubkey, profile);
	}
	return out;
}

/** Many people's profiles in one query (a member list), best effort like `loadProfile`. */
export async function loadProfiles(pubkeys: readonly string[], relays = PROFILE_RELAYS, timeoutMs = 4000): Promise<Map<string, Profile>> {
	if (typeof WebSocket === 'undefined' || relays.length === 0 || pubkeys.length === 0) return new Map();
	try {
		const { SimplePool } = await import('nostr-tools/pool');
		const pool = new SimplePool();
		const events = await pool.querySync(relays, { kinds: [0], authors: [...pubkeys] }, { maxWait: timeoutMs });
		pool.close(relays);
		return newestProfiles(events);
	} catch {
		return new Map();
	}
}
