import { classify } from '$lib/api/error';
import { reportError } from '$lib/session.svelte';

// A view's data: loading, error and value, reloadable. Keeps loading separate from markup.
export class Loader<T> {
	data = $state<T | null>(null);
	error = $state<unknown>(null);
	loading = $state(false);
	/** True once a load has succeeded (data may legitimately be null). */
	loaded = $state(false);
	#seq = 0;

	constructor(private fetcher: () => Promise<T>) {}

	async load(fetcher: () => Promise<T> = this.fetcher): Promise<void> {
		this.fetcher = fetcher;
		const seq = ++this.#seq;
		this.loading = true;
		this.error = null;
		try {
			const value = await fetcher();
			if (seq === this.#seq) {
				this.data = value;
				this.loaded = true;
			}
		} catch (e) {
			if (seq !== this.#seq) return;
			this.error = e;
			// An ended session goes back to login, with the place kept.
			if (classify(e).kind === 'login') reportError(e);
		} finally {
			if (seq === this.#seq) this.loading = false;
		}
	}

	reload = () => this.load();
}
