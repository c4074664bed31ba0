// Small display helpers shared by the pages.
export function sats(msat: number): string {
	return `${Math.floor(msat / 1000).toLocaleString('en-US')} sats`;
}

export function date(unix: number | null | undefined): string {
	if (!unix) return '—';
	return new Date(unix * 1000).toLocaleDateString('en-GB', { year: 'numeric', month: 'short', day: 'numeric' });
}

export function dateTime(unix: number | null | undefined): string {
	if (!unix) return '—';
	return new Date(unix * 1000).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

/** A file's size: bytes, KiB or MiB. */
export function fileSize(bytes: number): string {
	if (bytes < 1024) return `${bytes} B`;
	if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
	return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function period(start: number, end: number): string {
	return `${date(start)} – ${date(end)}`;
}

export function shortKey(key: string): string {
	return key.length > 20 ? `${key.slice(0, 12)}…${key.slice(-6)}` : key;
}

/** "in 9 min" / "expired" for an expiry timestamp. */
export function remaining(unix: number | null | undefined, now = Date.now()): string {
	if (!unix) return '';
	const s = Math.round(unix - now / 1000);
	if (s <= 0) return 'expired';
	if (s < 90) return `in ${s} s`;
	if (s < 5400) return `in ${Math.round(s / 60)} min`;
	return `in ${Math.round(s / 3600)} h`;
}
