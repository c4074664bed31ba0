import { describe, expect, it } from 'vitest';
import type { NodeView } from '$lib/api';
import { apiUrlProblem, healthText, moveTargets, moveText, nodeChanges, nodeIdProblem, readCapacity, soon, stateConfirmation, upstreamProblem, usage } from './nodes';

const NOW = 1_750_000_000_000;
function node(over: Partial<NodeView> = {}): NodeView {
	return {
		id: 'main',
		api_url: null,
		own_secret: false,
		upstream: '127.0.0.1:3334',
		capacity: 10,
		state: 'active',
		relays: 4,
		free: 6,
		health: { failures: 0, last_success_at: NOW / 1000 - 30, last_error: null, next_probe_at: null },
		...over,
	};
}

describe('node fields', () => {
	it('ids follow the server rule', () => {
		expect(nodeIdProblem('node-b')).toBeNull();
		expect(nodeIdProblem('a')).toBeNull();
		expect(nodeIdProblem('')).toMatch(/id/);
		expect(nodeIdProblem('Node')).toMatch(/Lowercase/);
		expect(nodeIdProblem('2nd')).toMatch(/starting with a letter/);
		expect(nodeIdProblem('a'.repeat(33))).toMatch(/32/);
		expect(nodeIdProblem('a'.repeat(32))).toBeNull();
	});

	it('upstreams are an ip:port', () => {
		expect(upstreamProblem('10.0.0.2:3334')).toBeNull();
		expect(upstreamProblem(' [fd00::2]:3334 ')).toBeNull();
		expect(upstreamProblem('')).toMatch(/ip:port/);
		expect(upstreamProblem('zooid.internal:3334')).toMatch(/IP address/);
		expect(upstreamProblem('10.0.0.2')).toMatch(/IP address/);
		expect(upstreamProblem('10.0.0.256:80')).toMatch(/IP address/);
		expect(upstreamProblem('10.0.0.2:70000')).toMatch(/IP address/);
	});

	it('capacities are whole numbers', () => {
		expect(readCapacity(' 250 ')).toEqual({ capacity: 250, problem: null });
		expect(readCapacity('0').capacity).toBe(0);
		expect(readCapacity('2.5').problem).toMatch(/whole number/);
		expect(readCapacity('-1').problem).toMatch(/whole number/);
		expect(readCapacity('').problem).toMatch(/whole number/);
	});

	it('an API URL is http(s) or empty', () => {
		expect(apiUrlProblem('')).toBeNull();
		expect(apiUrlProblem('http://10.0.0.2:3000')).toBeNull();
		expect(apiUrlProblem('ftp://x')).toMatch(/http/);
		expect(apiUrlProblem('not a url')).toMatch(/http/);
	});
});

describe('node health', () => {
	it('says healthy, or unreachable since the last answer with the probing', () => {
		expect(healthText(node(), NOW).healthy).toBe(true);
		const down = healthText(node({ health: { failures: 3, last_success_at: NOW / 1000 - 600, last_error: 'connection refused', next_probe_at: NOW / 1000 + 20 } }), NOW);
		expect(down.healthy).toBe(false);
		expect(down.text).toMatch(/^since .+ \(3 failures, next probe in 20 s\)$/);
		const never = healthText(node({ health: { failures: 1, last_success_at: null, last_error: null, next_probe_at: null } }), NOW);
		expect(never.text).toBe('never answered (1 failure)');
	});

	it('a probe that is due is due now', () => {
		expect(soon(NOW / 1000 - 5, NOW)).toBe('now');
		expect(soon(NOW / 1000 + 300, NOW)).toBe('in 5 min');
	});
});

describe('placing and moving', () => {
	it('a relay moves only to another active node with room', () => {
		const nodes = [node(), node({ id: 'b' }), node({ id: 'full', relays: 10, free: 0 }), node({ id: 'drain', state: 'draining' }), node({ id: 'down', state: 'down' })];
		expect(moveTargets(nodes, 'main').map((n) => n.id)).toEqual(['b']);
		expect(moveTargets(nodes, null).map((n) => n.id)).toEqual(['main', 'b']);
		expect(moveTargets(nodes, undefined).map((n) => n.id)).toEqual(['main', 'b']);
	});

	it('the bar is full at or over capacity', () => {
		expect(usage(node())).toBeCloseTo(0.4);
		expect(usage(node({ relays: 12, free: 0 }))).toBe(1);
		expect(usage(node({ capacity: 0, relays: 0, free: 0 }))).toBe(0);
	});

	it('a move says where to and which step', () => {
		expect(moveText({ to: 'node-b', step: 'switching' })).toBe('to node-b: switching its traffic over (step 2 of 3)');
	});
});

describe('changing a node', () => {
	it('draining and down are confirmed, saying what they mean; active is not', () => {
		expect(stateConfirmation(node({ state: 'draining' }), 'active')).toBeNull();
		expect(stateConfirmation(node(), 'active')).toBeNull();
		const drain = stateConfirmation(node(), 'draining');
		expect(drain?.message).toMatch(/takes no new relays/);
		expect(drain?.message).toMatch(/4 relays on it stay/);
		expect(stateConfirmation(node({ relays: 1 }), 'down')?.danger).toBe(true);
		expect(stateConfirmation(node({ relays: 1 }), 'down')?.message).toMatch(/nothing more is sent to it\. The 1 relay on it stays placed on it\./);
	});

	it('only what changed is sent', () => {
		expect(nodeChanges(node(), { state: 'active', capacity: 10, upstream: '127.0.0.1:3334 ' })).toEqual({});
		expect(nodeChanges(node(), { state: 'draining', capacity: 20, upstream: '10.0.0.9:3334' })).toEqual({ state: 'draining', capacity: 20, upstream: '10.0.0.9:3334' });
	});
});
