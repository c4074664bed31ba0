// Signs one NIP-98 header with nostr-tools, as a browser client would.
// Usage: node nip98-sign.mjs <secret-hex> <url> <method> [json-body]
// Prints {"authorization": "...", "body": "..."}; body is the exact text that was hashed.
import { finalizeEvent } from 'nostr-tools/pure'
import { getToken } from 'nostr-tools/nip98'
import { hexToBytes } from 'nostr-tools/utils'

const [secret, url, method, rawBody] = process.argv.slice(2)
const sk = hexToBytes(secret)
const payload = rawBody === undefined ? undefined : JSON.parse(rawBody)
const authorization = await getToken(url, method, (e) => finalizeEvent(e, sk), true, payload)
const body = payload === undefined ? null : JSON.stringify(payload)
process.stdout.write(JSON.stringify({ authorization, body }))
