// Fails the build when the JavaScript a first visit loads is over budget (gzipped).
// "Initial" = the scripts index.html loads plus everything they import statically, for the
// entry and the root layout; lazily imported chunks (NIP-46, NIP-49, relay pool, pages) are not.
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, dirname, resolve } from 'node:path';

const BUDGET_KB = Number(process.env.JS_BUDGET_KB ?? 150);
const build = new URL('../build/', import.meta.url).pathname;
const html = readFileSync(join(build, 'index.html'), 'utf8');

// SvelteKit's SPA shell imports start/app entries from a module script.
const entries = [...html.matchAll(/import\(["']([^"']+\.js)["']\)|<script[^>]+src=["']([^"']+\.js)["']|<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)]
	.map((m) => m[1] ?? m[2] ?? m[3])
	.filter(Boolean)
	.map((p) => resolve(build, p.replace(/^\.?\//, '')));

const seen = new Set();
function walk(file) {
	if (seen.has(file)) return;
	seen.add(file);
	const code = readFileSync(file, 'utf8');
	// Static imports only: `import … from "./x.js"` and `import "./x.js"` (not `import("…")`).
	for (const m of code.matchAll(/(?:^|[;\n}])\s*(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g)) walk(resolve(dirname(file), m[1]));
}
entries.forEach(walk);
// The root layout and the first page are also loaded on every first visit.
const nodes = join(build, '_app/immutable/nodes');
for (const f of readdirSync(nodes).filter((f) => /^[012]\./.test(f))) walk(join(nodes, f));

let total = 0;
for (const f of seen) total += gzipSync(readFileSync(f)).length;
const kb = total / 1024;
console.log(`initial JavaScript: ${kb.toFixed(1)} KB gzipped in ${seen.size} files (budget ${BUDGET_KB} KB)`);
if (kb > BUDGET_KB) {
	console.error('over budget: lazy-load something or raise JS_BUDGET_KB with a reason');
	process.exit(1);
}
