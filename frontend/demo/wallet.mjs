// A regtest Lightning test wallet served over Nostr Wallet Connect (NIP-47), for `just demo`.
// It issues real signed BOLT11 invoices on regtest (no funds move), settles them when paid from
// its small web page, automatically after AUTO_PAY_SECONDS, or when another of its connections
// pays them (pay_invoice), so recurring billing works end to end on one machine.
// Development only: it is never part of the production server.
import { createServer } from 'node:http';
import { randomBytes, createHash } from 'node:crypto';
import bolt11 from 'bolt11';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';

const REGTEST = { bech32: 'bcrt', pubKeyHash: 111, scriptHash: 196, validWitnessVersions: [0, 1] };

export async function startWallet({ relayUrl, autoPaySeconds = 8, port = 0 }) {
	const { NWCWalletService, NWCWalletServiceKeyPair } = await import('@getalby/sdk/nwc');
	const nodeKey = Buffer.from(generateSecretKey()).toString('hex');
	const walletSecret = Buffer.from(generateSecretKey()).toString('hex');
	const walletPubkey = getPublicKey(Buffer.from(walletSecret, 'hex'));
	const ledger = new Map(); // payment_hash -> transaction
	let autoPay = true; // tests turn it off to keep an invoice open
	const now = () => Math.floor(Date.now() / 1000);

	function settle(hash) {
		const tx = ledger.get(hash);
		if (tx && tx.state === 'pending') Object.assign(tx, { state: 'settled', settled_at: now() });
		return tx;
	}

	function makeInvoice({ amount, description = '', expiry = 3600 }) {
		const preimage = randomBytes(32);
		const paymentHash = createHash('sha256').update(preimage).digest('hex');
		const created = now();
		const encoded = bolt11.encode({
			network: REGTEST,
			timestamp: created,
			millisatoshis: String(amount),
			tags: [
				{ tagName: 'payment_hash', data: paymentHash },
				{ tagName: 'payment_secret', data: randomBytes(32).toString('hex') },
				{ tagName: 'description', data: description.slice(0, 600) },
				{ tagName: 'expire_time', data: expiry },
			],
		});
		const invoice = bolt11.sign(encoded, nodeKey).paymentRequest;
		const tx = { type: 'incoming', state: 'pending', invoice, description, description_hash: '', preimage: preimage.toString('hex'), payment_hash: paymentHash, amount, fees_paid: 0, created_at: created, expires_at: created + expiry, settled_at: 0 };
		ledger.set(paymentHash, tx);
		if (autoPaySeconds > 0 && autoPay) setTimeout(() => settle(paymentHash), autoPaySeconds * 1000);
		console.log(`[wallet] invoice ${Math.floor(amount / 1000)} sats ${paymentHash.slice(0, 12)}… (${description})`);
		return tx;
	}

	const hashOf = (invoice) => bolt11.decode(invoice, REGTEST).tags.find((t) => t.tagName === 'payment_hash')?.data;
	const ok = (result) => ({ result, error: undefined });
	const fail = (code, message) => ({ result: undefined, error: { code, message } });
	const handler = {
		getInfo: async () => ok({ alias: 'Caravel demo wallet', color: '#7c3aed', pubkey: walletPubkey, network: 'regtest', block_height: 1, block_hash: '00', methods: ['get_info', 'make_invoice', 'lookup_invoice', 'pay_invoice', 'get_balance'] }),
		getBalance: async () => ok({ balance: 1_000_000_000 }),
		makeInvoice: async (req) => ok(makeInvoice(req)),
		lookupInvoice: async (req) => {
			const hash = req.payment_hash ?? (req.invoice && hashOf(req.invoice));
			const tx = hash && ledger.get(hash);
			return tx ? ok(tx) : fail('NOT_FOUND', 'No such invoice in this wallet.');
		},
		payInvoice: async (req) => {
			let hash;
			try {
				hash = hashOf(req.invoice);
			} catch {
				return fail('OTHER', 'Not a BOLT11 invoice.');
			}
			const tx = settle(hash);
			if (!tx) return fail('NOT_FOUND', 'The demo wallet pays only invoices it issued.');
			console.log(`[wallet] paid ${hash.slice(0, 12)}… over NWC`);
			return ok({ preimage: tx.preimage, fees_paid: 0 });
		},
	};

	const service = new NWCWalletService({ relayUrl });
	const methods = ['get_info', 'get_balance', 'make_invoice', 'lookup_invoice', 'pay_invoice'];
	await service.publishWalletServiceInfoEvent(walletSecret, methods, []);
	/** A new NWC connection (one client key) to this wallet. */
	async function connect() {
		const clientSecret = Buffer.from(generateSecretKey()).toString('hex');
		const clientPubkey = getPublicKey(Buffer.from(clientSecret, 'hex'));
		await service.subscribe(new NWCWalletServiceKeyPair(walletSecret, clientPubkey), handler);
		return `nostr+walletconnect://${walletPubkey}?relay=${encodeURIComponent(relayUrl)}&secret=${clientSecret}`;
	}

	const page = createServer((req, res) => {
		if (req.method === 'POST' && req.url?.startsWith('/pay/')) {
			settle(req.url.slice(5));
			res.writeHead(303, { Location: '/' }).end();
			return;
		}
		const rows = [...ledger.values()].reverse().map((t) => `<tr><td>${new Date(t.created_at * 1000).toLocaleTimeString()}</td><td>${Math.floor(t.amount / 1000)} sats</td><td>${t.description.replace(/</g, '&lt;')}</td><td>${t.state}</td><td>${t.state === 'pending' ? `<form method="post" action="/pay/${t.payment_hash}"><button>Pay</button></form>` : ''}</td></tr>`);
		res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="3"><title>Demo wallet</title>
<style>body{font-family:system-ui;margin:2rem}td,th{padding:.3rem .6rem;border-bottom:1px solid #ddd;text-align:left}</style></head><body>
<h1>Caravel demo wallet (regtest)</h1><p>Invoices this test wallet issued. ${autoPaySeconds > 0 ? `Each is paid automatically after ${autoPaySeconds} s; ` : ''}press Pay to pay one now. No real funds move.</p>
<table><tr><th>Issued</th><th>Amount</th><th>Description</th><th>State</th><th></th></tr>${rows.join('') || '<tr><td colspan="5">No invoices yet.</td></tr>'}</table></body></html>`);
	});
	await new Promise((r) => page.listen(port, '127.0.0.1', r));
	const setAutoPay = (on) => (autoPay = on);
	return { connect, setAutoPay, pageUrl: `http://127.0.0.1:${page.address().port}`, close: () => (service.close(), page.close()) };
}
