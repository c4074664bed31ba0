// Checks the demo tools with an independent NWC client (@getalby/sdk's NWCClient): the wallet
// issues a regtest invoice, a second connection pays it, and lookup_invoice sees it settled.
import assert from 'node:assert/strict';
import WebSocket from 'ws';

globalThis.WebSocket ??= WebSocket;
const { startRelay } = await import('./relay.mjs');
const { startWallet } = await import('./wallet.mjs');
const { NWCClient } = await import('@getalby/sdk/nwc');

const relay = await startRelay();
const wallet = await startWallet({ relayUrl: relay.url, autoPaySeconds: 0 });
const operator = new NWCClient({ nostrWalletConnectUrl: await wallet.connect() });
const tenant = new NWCClient({ nostrWalletConnectUrl: await wallet.connect() });
try {
	const inv = await operator.makeInvoice({ amount: 10_000_000, description: 'selftest' });
	assert.match(inv.invoice, /^lnbcrt100u1/);
	assert.equal((await operator.lookupInvoice({ payment_hash: inv.payment_hash })).state, 'pending');
	await tenant.payInvoice({ invoice: inv.invoice });
	assert.equal((await operator.lookupInvoice({ payment_hash: inv.payment_hash })).state, 'settled');
	const page = await (await fetch(wallet.pageUrl)).text();
	assert.match(page, /selftest/);
	console.log('demo tools: ok (regtest invoice issued, paid over NWC, seen settled)');
} finally {
	operator.close();
	tenant.close();
	wallet.close();
	relay.close();
}
process.exit(0);
