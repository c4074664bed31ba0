// Turns the backend's OpenAPI document into src/lib/api/schema.d.ts (shared by gen-api and check-api).
import openapiTS, { astToString } from 'openapi-typescript';

export const SCHEMA = new URL('../src/lib/api/schema.d.ts', import.meta.url);

const HEADER = `// Generated from the backend's /api/openapi.json by scripts/gen-api.mjs. Do not edit.\n// Regenerate: npm run api:types (with the backend running).\n\n`;

/** The TypeScript text for `doc`; throws when two operations share an operationId. */
export async function schemaFor(doc) {
	const count = new Map();
	for (const ops of Object.values(doc.paths)) for (const op of Object.values(ops)) if (op?.operationId) count.set(op.operationId, (count.get(op.operationId) ?? 0) + 1);
	const repeated = [...count].filter(([, n]) => n > 1).map(([id]) => id);
	if (repeated.length) throw new Error(`operationIds repeat (${repeated.join(', ')}): the server must give every operation its own operation_id`);
	return HEADER + astToString(await openapiTS(doc));
}
