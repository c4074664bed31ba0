// An independent NIP-47 wallet for Caravel's tests: @getalby/sdk's NWCWalletService (its
// responses carry only an `e` tag, no `p`), issuing real signed regtest BOLT11s with the
// `bolt11` package. Usage: node alby-wallet.mjs <relay-url>
// Prints {"uri": "..."} once subscribed; then reads "pay <payment_hash>" lines from stdin,
// marks that invoice settled (so lookup_invoice reports it) and prints "paid <hash>".
import crypto from 'node:crypto'
import readline from 'node:readline'
import { WebSocket } from 'ws'

if (!globalThis.WebSocket) globalThis.WebSocket = WebSocket // Node 20 has none

const { NWCWalletService, NWCWalletServiceKeyPair } = await import('@getalby/sdk')
const bolt11 = (await import('bolt11')).default
const { getPublicKey } = await import('nostr-tools/pure')

const relayUrl = process.argv[2]
const hex = (n) => crypto.randomBytes(n).toString('hex')
const walletSecret = hex(32)
const clientSecret = hex(32)
const walletPubkey = getPublicKey(Buffer.from(walletSecret, 'hex'))
const clientPubkey = getPublicKey(Buffer.from(clientSecret, 'hex'))
const nodeKey = hex(32)
const regtest = { bech32: 'bcrt', pubKeyHash: 0x6f, scriptHash: 0xc4, validWitnessVersions: [0, 1] }
const methods = ['get_info', 'make_invoice', 'lookup_invoice']
const invoices = new Map()

const debug = process.env.PEER_DEBUG ? (...a) => console.error('[alby]', ...a) : () => {}
const service = new NWCWalletService({ relayUrls: [relayUrl] })
debug('publishing info')
await service.publishWalletServiceInfoEvent(walletSecret, methods, [])
debug('subscribing')
await service.subscribe(new NWCWalletServiceKeyPair(walletSecret, clientPubkey), {
  getInfo: async () => ({
    result: { alias: 'alby peer', color: '#000000', pubkey: walletPubkey, network: 'regtest', block_height: 1, block_hash: '00', methods },
    error: undefined,
  }),
  makeInvoice: async (req) => {
    const preimage = crypto.randomBytes(32)
    const paymentHash = crypto.createHash('sha256').update(preimage).digest('hex')
    const now = Math.floor(Date.now() / 1000)
    const expiry = req.expiry || 3600
    const encoded = bolt11.encode({
      network: regtest,
      timestamp: now,
      millisatoshis: String(req.amount),
      tags: [
        { tagName: 'payment_hash', data: paymentHash },
        { tagName: 'payment_secret', data: hex(32) },
        { tagName: 'description', data: req.description || '' },
        { tagName: 'expire_time', data: expiry },
        { tagName: 'min_final_cltv_expiry', data: 144 },
        {
          tagName: 'feature_bits',
          data: { word_length: 4, var_onion_optin: { required: true, supported: true }, payment_secret: { required: true, supported: true } },
        },
      ],
    })
    const signed = bolt11.sign(encoded, nodeKey)
    const tx = {
      type: 'incoming',
      state: 'pending',
      invoice: signed.paymentRequest,
      description: req.description || '',
      description_hash: '',
      preimage: '',
      payment_hash: paymentHash,
      amount: req.amount,
      fees_paid: 0,
      created_at: now,
      expires_at: now + expiry,
      metadata: {},
    }
    invoices.set(paymentHash, { tx, preimage: preimage.toString('hex') })
    return { result: tx, error: undefined }
  },
  lookupInvoice: async (req) => {
    const found = invoices.get(req.payment_hash)
    if (!found) return { result: undefined, error: { code: 'NOT_FOUND', message: 'no such invoice' } }
    return { result: found.tx, error: undefined }
  },
})

const uri = `nostr+walletconnect://${walletPubkey}?relay=${encodeURIComponent(relayUrl)}&secret=${clientSecret}`
console.log(JSON.stringify({ uri }))

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const [cmd, hash] = line.trim().split(/\s+/)
  const found = invoices.get(hash)
  if (cmd === 'pay' && found) {
    found.tx.state = 'settled'
    found.tx.settled_at = Math.floor(Date.now() / 1000)
    found.tx.preimage = found.preimage
    console.log(`paid ${hash}`)
  } else {
    console.log(`unknown ${hash}`)
  }
})
