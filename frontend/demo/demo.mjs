// `just demo`: the platform with a local Nostr relay and a regtest test wallet, on one machine
// with no outside services. Sign up, create a paid relay, pay it (from the wallet page, or
// wait a few seconds) and see it active. Ctrl-C stops everything.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import WebSocket from 'ws';

globalThis.WebSocket ??= WebSocket; // Node 20 has no WebSocket; the NWC SDK needs one.
const { startRelay } = await import('./relay.mjs');
const { startWallet } = await import('./wallet.mjs');

const root = resolve(import.meta.dirname, '../..');
const port = process.env.PORT ?? '3000';
const dataDir = process.env.DATA_DIR ?? resolve(root, 'data/demo');
mkdirSync(dataDir, { recursive: true });

const relay = await startRelay({ port: Number(process.env.DEMO_RELAY_PORT ?? 0) });
const wallet = await startWallet({ relayUrl: relay.url, autoPaySeconds: Number(process.env.AUTO_PAY_SECONDS ?? 8) });
const operatorNwc = await wallet.connect();
const tenantNwc = await wallet.connect();

// A throwaway identity to sign in with (pasted on the login page), admin unless ADMINS is set.
const { generateSecretKey, getPublicKey } = await import('nostr-tools/pure');
const { nsecEncode } = await import('nostr-tools/nip19');
const demoKey = generateSecretKey();
const admins = process.env.ADMINS ?? getPublicKey(demoKey);

const bin = process.env.CARAVEL_BIN ?? resolve(root, 'target/debug/caravel');
const server = spawn(bin, [], {
	stdio: 'inherit',
	env: {
		...process.env,
		PORT: port,
		DATA_DIR: dataDir,
		DATABASE_URL: `sqlite://${dataDir}/caravel.db`,
		NWC_URL: operatorNwc,
		LIGHTNING_NETWORK: 'regtest',
		ADMINS: admins,
		ROBOT_OUTBOX_RELAYS: relay.url,
		ROBOT_INDEXER_RELAYS: relay.url,
		ROBOT_MESSAGING_RELAYS: relay.url,
		WEB_DIR: resolve(root, 'frontend/build'),
	},
});

console.log(`
Caravel demo
  dashboard        http://127.0.0.1:${port}/
  local relay      ${relay.url}
  test wallet      ${wallet.pageUrl}  (invoices it issued; press Pay, or wait ${process.env.AUTO_PAY_SECONDS ?? 8} s)
  recurring billing: paste this wallet connection on the Account page:
    ${tenantNwc}
  sign in           with a NIP-07 extension or a bunker, or paste this throwaway key (Secret key tab):
    ${nsecEncode(demoKey)}
  admins            ${process.env.ADMINS ? process.env.ADMINS : 'the throwaway key above (set ADMINS to use your own): /admin'}
`);

const stop = () => {
	server.kill('SIGTERM');
	wallet.close();
	relay.close();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.on('exit', (code) => {
	wallet.close();
	relay.close();
	process.exit(code ?? 0);
});
