// The one paged-list helper. A list page's filters and page offset live in its URL, so reload,
// back and sign-in keep them: the page's loader reads them with `readList` and loads one page
// from the server; the page binds its inputs to a `PagedList`, which writes them back to the URL
// (typing after a pause) and so makes the loader run again.
import { goto } from '$app/navigation';
import { navigating, page } from '$app/state';

export const LIMIT = 50;

export type Filters<K extends string> = Record<K, string>;

/** The filters (absent ones take their default) and the offset that `url` asks for. */
export function readList<K extends string>(url: URL, defaults: Filters<K>): { filters: Filters<K>; offset: number } {
	const filters = { ...defaults };
	for (const key of Object.keys(defaults) as K[]) filters[key] = url.searchParams.get(key) ?? defaults[key];
	return { filters, offset: Math.max(0, Math.floor(Number(url.searchParams.get('offset')) || 0)) };
}

export class PagedList<K extends string> {
	filters = $state({} as Filters<K>);
	readonly #defaults: Filters<K>;
	/** The page this list is on: a pause that ends after leaving it changes nothing. */
	readonly #path: string;
	#timer: ReturnType<typeof setTimeout> | undefined;

	constructor(defaults: Filters<K>) {
		this.#defaults = defaults;
		this.#path = page.url.pathname;
		this.filters = readList(page.url, defaults).filters;
	}

	get offset(): number {
		return readList(page.url, this.#defaults).offset;
	}
	/** True while the next page or filter result is being loaded. */
	get loading(): boolean {
		return navigating.to?.url.pathname === page.url.pathname;
	}
	/** True when any filter differs from its default. */
	get filtered(): boolean {
		return (Object.keys(this.#defaults) as K[]).some((k) => this.filters[k].trim() !== this.#defaults[k]);
	}

	/** A choice changed: back to the first page at once. */
	changed = () => this.#go(0, 0);
	/** Typing: back to the first page after a short pause, so each keystroke is not a request. */
	typed = () => this.#go(0, 200);
	/** The pager moved. */
	goTo = (offset: number) => this.#go(offset, 0);

	#go(offset: number, wait: number) {
		clearTimeout(this.#timer);
		this.#timer = setTimeout(() => {
			if (page.url.pathname !== this.#path) return;
			// A scratch copy to build the next address from, not state.
			// eslint-disable-next-line svelte/prefer-svelte-reactivity
			const url = new URL(page.url);
			for (const key of Object.keys(this.#defaults) as K[]) {
				const value = this.filters[key].trim();
				if (value === this.#defaults[key]) url.searchParams.delete(key);
				else url.searchParams.set(key, value);
			}
			if (offset > 0) url.searchParams.set('offset', String(offset));
			else url.searchParams.delete('offset');
			if (url.search !== page.url.search) void goto(url, { replaceState: true, keepFocus: true, noScroll: true });
		}, wait);
	}
}
