// Regenerates src/lib/api/schema.d.ts from the backend's OpenAPI document.
// Usage: node scripts/gen-api.mjs [url-or-file]   (default: $CARAVEL_API or http://127.0.0.1:3000)
// With no running server: `cargo run --bin caravel` in another shell first.
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';

const arg = process.argv[2] ?? `${process.env.CARAVEL_API ?? 'http://127.0.0.1:3000'}/api/openapi.json`;
const doc = existsSync(arg) ? JSON.parse(readFileSync(arg, 'utf8')) : await (await fetch(arg)).json();
// utoipa names operations after their handler functions, so `list`/`get` repeat across
// resources; openapi-typescript requires unique ids. Make repeated ones unique by their path.
const seen = new Map();
for (const ops of Object.values(doc.paths)) for (const op of Object.values(ops)) if (op.operationId) seen.set(op.operationId, (seen.get(op.operationId) ?? 0) + 1);
for (const [path, ops] of Object.entries(doc.paths))
	for (const [method, op] of Object.entries(ops))
		if (op.operationId && seen.get(op.operationId) > 1) op.operationId = `${method}_${path.replace(/[^a-z0-9]+/gi, '_')}`.replace(/_+$/, '');
const ast = await openapiTS(doc);
const header = `// Generated from the backend's /api/openapi.json by scripts/gen-api.mjs. Do not edit.\n// Regenerate: npm run api:types (with the backend running).\n\n`;
writeFileSync(new URL('../src/lib/api/schema.d.ts', import.meta.url), header + astToString(ast));
console.log(`wrote src/lib/api/schema.d.ts (${Object.keys(doc.paths).length} paths)`);
