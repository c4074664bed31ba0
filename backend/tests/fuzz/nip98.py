"""Schemathesis hook: signs every request with a fresh NIP-98 header (kind 27235), as the
platform admin whose secret key is in NIP98_SECRET (hex).

The header is made from the prepared request (a `requests` auth), so the `u` tag is the exact URL
sent, query included, and `payload` the SHA-256 of the exact body bytes.

Run as a script: `python nip98.py pubkey <secret hex>` prints the key's x-only public key;
`NIP98_SECRET=… python nip98.py seed <base URL>` registers the signer as a tenant with one relay
and prints the relay's id (known resources for the run's path parameters).
"""

import base64
import hashlib
import json
import os
import sys
import time

import coincurve
import requests
import requests.auth
import schemathesis


def public_key(secret: bytes) -> str:
    return coincurve.PrivateKey(secret).public_key_xonly.format().hex()


def header(secret: bytes, url: str, method: str, body: bytes | None) -> str:
    tags = [["u", url], ["method", method]]
    if body:
        tags.append(["payload", hashlib.sha256(body).hexdigest()])
    pubkey = public_key(secret)
    created_at = int(time.time())
    serialized = json.dumps(
        [0, pubkey, created_at, 27235, tags, ""], separators=(",", ":"), ensure_ascii=False
    )
    event_id = hashlib.sha256(serialized.encode()).digest()
    # Fresh auxiliary randomness: two identical requests in one second differ in signature,
    # so the server's replay cache does not take the second for a replay.
    sig = coincurve.PrivateKey(secret).sign_schnorr(event_id, os.urandom(32))
    event = {
        "id": event_id.hex(),
        "pubkey": pubkey,
        "created_at": created_at,
        "kind": 27235,
        "tags": tags,
        "content": "",
        "sig": sig.hex(),
    }
    return "Nostr " + base64.b64encode(json.dumps(event).encode()).decode()


class Nip98(requests.auth.AuthBase):
    def __init__(self, secret: bytes):
        self.secret = secret

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        body = request.body
        if isinstance(body, str):
            body = body.encode()
        request.headers["Authorization"] = header(self.secret, request.url, request.method, body)
        return request


@schemathesis.hook
def before_call(context, case, kwargs):
    kwargs["auth"] = Nip98(bytes.fromhex(os.environ["NIP98_SECRET"]))


def seed(base: str) -> str:
    auth = Nip98(bytes.fromhex(os.environ["NIP98_SECRET"]))
    relay = {"name": "Fuzz", "subdomain": "fuzz", "plan": "free"}
    reply = requests.post(f"{base}/api/relays", json=relay, auth=auth, timeout=10)
    reply.raise_for_status()
    return reply.json()["id"]


if __name__ == "__main__":
    if sys.argv[1:2] == ["pubkey"]:
        print(public_key(bytes.fromhex(sys.argv[2])))
    elif sys.argv[1:2] == ["seed"]:
        print(seed(sys.argv[2]))
    else:
        sys.exit("usage: nip98.py pubkey <secret hex> | seed <base URL>")
