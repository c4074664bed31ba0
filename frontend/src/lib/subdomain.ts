// Subdomains as the server accepts them: 3–63 characters of a-z, 0-9 and '-', starting with a
// letter, no trailing '-', no '--'. Reserved and taken names are the server's answer (live check).
export const MIN = 3;
export const MAX = 63;

/** A valid subdomain suggested from a relay's name ('' when the name has no usable letters). */
export function subdomainFrom(name: string): string {
	let s = name
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/-+/g, '-');
	s = s.replace(/^[^a-z]+/, '');
	s = s.slice(0, MAX).replace(/-+$/, '');
	if (!s) return '';
	if (s.length < MIN) s = `${s}-relay`;
	return s;
}

/** Why `s` cannot be a subdomain, or null when its shape is fine. */
export function subdomainProblem(input: string): string | null {
	const s = input.trim().toLowerCase();
	if (s.length < MIN || s.length > MAX) return `Use ${MIN} to ${MAX} characters.`;
	if (!/^[a-z0-9-]+$/.test(s)) return 'Use only letters a–z, digits and dashes.';
	if (!/^[a-z]/.test(s)) return 'Start with a letter.';
	if (s.endsWith('-')) return 'Do not end with a dash.';
	if (s.includes('--')) return 'Do not use two dashes in a row.';
	return null;
}
