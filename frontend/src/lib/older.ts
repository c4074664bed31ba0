// Reading a newest-first list further back, a page at a time, where the server pages by time
// rather than by offset (a relay's reports): the next page is asked for with `until` = the oldest
// `created_at` shown. Relays count `until` inclusively, so a page starts with what was shown last
// again; those are dropped. A page shorter than the limit is the last.

export interface Timed {
	id: string;
	created_at: number;
}

export interface Older<T extends Timed> {
	items: T[];
	/** The `until` to ask the next page for; null once no older ones remain. */
	until: number | null;
	/** How many the last page added; null before any was loaded. */
	added: number | null;
}

const oldest = (items: readonly Timed[]) => Math.min(...items.map((i) => i.created_at));

/** The list as the first page (of at most `limit`) leaves it. */
export function firstPage<T extends Timed>(items: T[], limit: number): Older<T> {
	return { items, until: items.length < limit || items.length === 0 ? null : oldest(items), added: null };
}

/** `list` with an older `page` (asked for with `list.until` and `limit`) appended. */
export function appendOlder<T extends Timed>(list: Older<T>, page: readonly T[], limit: number): Older<T> {
	const seen = new Set(list.items.map((i) => i.id));
	const fresh: T[] = [];
	for (const item of page) {
		if (seen.has(item.id)) continue;
		seen.add(item.id);
		fresh.push(item);
	}
	let until: number | null = null;
	if (page.length >= limit && page.length > 0) {
		// A full page of ones already shown were all made in the second asked for: step past it,
		// or the same page would come back every time.
		until = fresh.length === 0 ? oldest(page) - 1 : oldest(page);
	}
	return { items: [...list.items, ...fresh], until, added: fresh.length };
}

/** What the last page did, for a live region: "12 older reports added. No older reports." */
export function olderStatus(list: Older<Timed>, one: string, many: string): string {
	if (list.added === null) return '';
	const end = `No older ${many}.`;
	if (list.added === 0) return list.until === null ? end : `Nothing new in that page; there may be older ${many}.`;
	const added = `${list.added.toLocaleString('en-US')} older ${list.added === 1 ? one : many} added.`;
	return list.until === null ? `${added} ${end}` : added;
}
