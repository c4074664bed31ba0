// LiveKit's own JS server SDK as an independent peer.
// Usage: node livekit-peer.mjs verify <api-key> <api-secret> <jwt>
//          prints the claims TokenVerifier accepted (exits 1 if it refuses the token)
//        node livekit-peer.mjs sign-webhook <api-key> <api-secret> <body>
//          prints the Authorization value LiveKit would send with that exact body
import { createHash } from 'node:crypto'
import { AccessToken, TokenVerifier } from 'livekit-server-sdk'

const [mode, key, secret, arg] = process.argv.slice(2)
if (mode === 'verify') {
  const claims = await new TokenVerifier(key, secret).verify(arg)
  process.stdout.write(JSON.stringify(claims))
} else if (mode === 'sign-webhook') {
  const token = new AccessToken(key, secret, { ttl: '5m' })
  token.sha256 = createHash('sha256').update(arg).digest('base64')
  process.stdout.write(await token.toJwt())
} else {
  process.stderr.write(`unknown mode ${mode}\n`)
  process.exit(2)
}
