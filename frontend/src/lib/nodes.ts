// zooid nodes as the admin pages word them: health, the checks on a new node's fields, which
// nodes a relay can move to, what a state change means and what a move is doing.
import { MOVE_STEPS, type MoveStep, type NodeChanges, type NodeState, type NodeView, type RelayMove } from '$lib/api';
import { dateTime } from '$lib/format';

/** The server's rule for a node's id: `[a-z][a-z0-9-]{0,31}`. */
export function nodeIdProblem(id: string): string | null {
	if (!id) return 'Give the node an id.';
	if (id.length > 32) return 'At most 32 characters.';
	if (!/^[a-z][a-z0-9-]*$/.test(id)) return 'Lowercase letters, digits and dashes, starting with a letter.';
	return null;
}

/** An `ip:port` (IPv4, or IPv6 in brackets), as the proxy needs it: no host names. */
export function upstreamProblem(value: string): string | null {
	const v = value.trim();
	if (!v) return 'Where the proxy sends the relay traffic: an ip:port.';
	const m = /^(?:(\d{1,3}(?:\.\d{1,3}){3})|\[([0-9a-fA-F:.]+)\]):(\d{1,5})$/.exec(v);
	const port = Number(m?.[3]);
	if (!m || port < 1 || port > 65535 || (m[1] && m[1].split('.').some((o) => Number(o) > 255)))
		return 'An IP address and port, like 10.0.0.2:3334 or [fd00::2]:3334.';
	return null;
}

/** A capacity typed into a field: a whole number of relays, or the problem with it. */
export function readCapacity(value: string): { capacity: number; problem: null } | { capacity: null; problem: string } {
	const v = value.trim();
	if (!/^\d{1,9}$/.test(v)) return { capacity: null, problem: 'A whole number of relays, 0 or more.' };
	return { capacity: Number(v), problem: null };
}

/** An API URL typed into a field: empty means the local config directory. */
export function apiUrlProblem(value: string): string | null {
	const v = value.trim();
	if (!v) return null;
	try {
		const u = new URL(v);
		if (u.protocol === 'http:' || u.protocol === 'https:') return null;
	} catch {
		// not a URL: said below
	}
	return 'An http:// or https:// URL, or leave it empty.';
}

/** "in 20 s", "in 3 min", "now" for the next probe. */
export function soon(unix: number, now = Date.now()): string {
	const s = Math.round(unix - now / 1000);
	if (s <= 0) return 'now';
	if (s < 90) return `in ${s} s`;
	if (s < 5400) return `in ${Math.round(s / 60)} min`;
	return `in ${Math.round(s / 3600)} h`;
}

/** A node's health in words: healthy, or unreachable since its last answer with the probing. */
export function healthText(n: NodeView, now = Date.now()): { healthy: boolean; text: string } {
	const h = n.health;
	if (h.failures === 0) return { healthy: true, text: h.last_success_at ? `answered ${dateTime(h.last_success_at)}` : 'not probed yet' };
	const since = h.last_success_at ? `since ${dateTime(h.last_success_at)}` : 'never answered';
	const tries = `${h.failures} ${h.failures === 1 ? 'failure' : 'failures'}`;
	const next = h.next_probe_at ? `, next probe ${soon(h.next_probe_at, now)}` : '';
	return { healthy: false, text: `${since} (${tries}${next})` };
}

/** The nodes a relay on `current` may move to: the others that are active and have room. */
export function moveTargets(nodes: readonly NodeView[], current: string | null | undefined): NodeView[] {
	return nodes.filter((n) => n.id !== current && n.state === 'active' && n.free > 0);
}

/** Relays placed against capacity, 0–1, for the bar (a node over capacity shows full). */
export function usage(n: NodeView): number {
	if (n.capacity <= 0) return n.relays > 0 ? 1 : 0;
	return Math.min(n.relays / n.capacity, 1);
}

export interface Confirmation {
	title: string;
	message: string;
	confirmLabel: string;
	danger?: boolean;
}

const placed = (n: NodeView) => (n.relays === 1 ? 'The 1 relay on it stays' : `The ${n.relays} relays on it stay`);

/** What to ask before changing a node's state; null when nothing needs confirming (back to active). */
export function stateConfirmation(n: NodeView, to: NodeState): Confirmation | null {
	if (to === n.state || to === 'active') return null;
	if (to === 'draining')
		return {
			title: `Drain ${n.id}?`,
			message: `A draining node takes no new relays. ${placed(n)} there and keep serving: move them to another node to empty it.`,
			confirmLabel: 'Drain node',
		};
	return {
		title: `Mark ${n.id} down?`,
		message: `A down node is out of service: it takes no new relays and nothing more is sent to it. ${placed(n)} placed on it.`,
		confirmLabel: 'Mark down',
		danger: true,
	};
}

/** Only the fields that differ from the node: the rest keep their value. */
export function nodeChanges(n: NodeView, want: { state: NodeState; capacity: number; upstream: string }): NodeChanges {
	const changes: NodeChanges = {};
	if (want.state !== n.state) changes.state = want.state;
	if (want.capacity !== n.capacity) changes.capacity = want.capacity;
	if (want.upstream.trim() !== n.upstream) changes.upstream = want.upstream.trim();
	return changes;
}

// What each step does (the server's steps: configuration written, off, on the target; off on
// the source, routed and on at the target; deleted from the source).
const STEPS: Record<MoveStep, string> = {
	preparing: 'writing its configuration to the new node',
	switching: 'switching its traffic over',
	retiring: 'removing it from the old node',
};

/** "to node-b: switching its traffic over (step 2 of 3)" */
export function moveText(move: RelayMove): string {
	const i = MOVE_STEPS.indexOf(move.step);
	return `to ${move.to}: ${STEPS[move.step] ?? move.step}${i >= 0 ? ` (step ${i + 1} of ${MOVE_STEPS.length})` : ''}`;
}
