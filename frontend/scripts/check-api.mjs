// Fails when src/lib/api/schema.d.ts no longer matches the OpenAPI document of the built server:
// starts the caravel binary (CARAVEL_BIN, default target/debug/caravel) on a free port with a
// temporary DATA_DIR, regenerates the types from its /api/openapi.json and compares.
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBackend } from '../e2e/harness.mjs';
import { SCHEMA, schemaFor } from './openapi.mjs';

const backend = await startBackend();
let fresh;
try {
	fresh = await schemaFor(await (await fetch(`${backend.url}/api/openapi.json`)).json());
} catch (e) {
	console.error(`cannot generate the API types: ${e.message}`);
	process.exitCode = 1;
} finally {
	await backend.stop();
}
if (fresh === undefined) process.exit(1);
const committed = readFileSync(SCHEMA, 'utf8');
if (fresh === committed) {
	console.log('src/lib/api/schema.d.ts matches the server’s OpenAPI document');
} else {
	const dir = mkdtempSync(join(tmpdir(), 'caravel-api-'));
	writeFileSync(join(dir, 'schema.d.ts'), fresh);
	spawnSync('diff', ['-u', SCHEMA.pathname, join(dir, 'schema.d.ts')], { stdio: 'inherit' });
	rmSync(dir, { recursive: true, force: true });
	console.error('\nsrc/lib/api/schema.d.ts is out of date with the server: run `npm run api:types` against it and commit.');
	process.exit(1);
}
