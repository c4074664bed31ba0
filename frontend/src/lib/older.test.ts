import { describe, expect, it } from 'vitest';
import { appendOlder, firstPage, olderStatus } from './older';

/** `n` items, newest first, one a minute from `from` back. */
const items = (from: number, n: number, start = 0) =>
	Array.from({ length: n }, (_, i) => ({ id: `r${start + i}`, created_at: from - (start + i) * 60 }));

describe('reading further back a page at a time', () => {
	it('asks for the next page with the oldest time of a full first page; a short one is the last', () => {
		const full = items(10_000, 3);
		expect(firstPage(full, 3)).toEqual({ items: full, until: 10_000 - 120, added: null });
		expect(firstPage(items(10_000, 2), 3).until).toBeNull();
		expect(firstPage([], 3).until).toBeNull();
	});

	it('appends an older page without the ones already shown, and ends at a short page', () => {
		const all = items(10_000, 6);
		let list = firstPage(all.slice(0, 3), 3);
		// `until` is inclusive: the next page repeats the oldest shown.
		list = appendOlder(list, all.slice(2, 5), 3);
		expect(list.items.map((i) => i.id)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
		expect(list.added).toBe(2);
		expect(list.until).toBe(10_000 - 4 * 60);
		list = appendOlder(list, all.slice(4, 6), 3);
		expect(list.items.map((i) => i.id)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
		expect(list.added).toBe(1);
		expect(list.until).toBeNull();
	});

	it('drops a repeat inside one page too', () => {
		const list = appendOlder(firstPage(items(10_000, 2), 2), [...items(10_000, 1, 2), ...items(10_000, 1, 2)], 3);
		expect(list.items.map((i) => i.id)).toEqual(['r0', 'r1', 'r2']);
		expect(list.added).toBe(1);
	});

	it('steps past a second whose reports fill a whole page, rather than asking for it forever', () => {
		const same = Array.from({ length: 3 }, (_, i) => ({ id: `s${i}`, created_at: 500 }));
		const list = appendOlder(firstPage(same, 3), same, 3);
		expect(list.added).toBe(0);
		expect(list.until).toBe(499);
	});

	it('words what the last page did for the live region', () => {
		const first = firstPage(items(10_000, 2), 2);
		expect(olderStatus(first, 'report', 'reports')).toBe('');
		expect(olderStatus({ ...first, added: 12, until: 5 }, 'report', 'reports')).toBe('12 older reports added.');
		expect(olderStatus({ ...first, added: 1, until: null }, 'report', 'reports')).toBe('1 older report added. No older reports.');
		expect(olderStatus({ ...first, added: 0, until: null }, 'report', 'reports')).toBe('No older reports.');
		expect(olderStatus({ ...first, added: 0, until: 5 }, 'report', 'reports')).toBe('Nothing new in that page; there may be older reports.');
	});
});
