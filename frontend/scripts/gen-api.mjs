// Regenerates src/lib/api/schema.d.ts from the backend's OpenAPI document.
// Usage: node scripts/gen-api.mjs [url-or-file]   (default: $CARAVEL_API or http://127.0.0.1:3000)
// With no running server: `cargo run --bin caravel` in another shell first.
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { SCHEMA, schemaFor } from './openapi.mjs';

const arg = process.argv[2] ?? `${process.env.CARAVEL_API ?? 'http://127.0.0.1:3000'}/api/openapi.json`;
const doc = existsSync(arg) ? JSON.parse(readFileSync(arg, 'utf8')) : await (await fetch(arg)).json();
writeFileSync(SCHEMA, await schemaFor(doc));
console.log(`wrote src/lib/api/schema.d.ts (${Object.keys(doc.paths).length} paths)`);
