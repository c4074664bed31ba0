#!/usr/bin/env bash
# Static checks of the deployment stack, without a Docker engine: Caddy validates the Caddyfile,
# compose.yaml is checked against the Compose Specification's JSON schema, livekit.yaml against
# the keys the stack relies on, and the files are checked to agree with each other and with
# .env.example. Needs `caddy` (Debian package) and python3 with venv; check-jsonschema is
# installed from PyPI into deploy/.venv on first use.
set -euo pipefail
cd "$(dirname "$0")"

CHECK_JSONSCHEMA_VERSION=0.38.2
fail() { echo "deploy-check: $*" >&2; exit 1; }

command -v caddy >/dev/null || fail "caddy is missing (apt-get install -y caddy)"
# A pinned check-jsonschema (it ships the Compose Specification's schema) in deploy/.venv.
check_jsonschema=.venv/bin/check-jsonschema
if ! "$check_jsonschema" --version 2>/dev/null | grep -q "$CHECK_JSONSCHEMA_VERSION"; then
    python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check "check-jsonschema==$CHECK_JSONSCHEMA_VERSION"
fi

# The variables the files read, with the example's values (the secrets filled with dummies).
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
set -a
# shellcheck source=/dev/null
. ./.env.example
PLATFORM_KEY=$(printf '0%.0s' {1..64})
ROBOT_SECRET=$(printf '1%.0s' {1..64})
LIVEKIT_API_SECRET=$(printf '2%.0s' {1..64})
set +a

echo "deploy-check: Caddyfile"
XDG_DATA_HOME="$scratch" XDG_CONFIG_HOME="$scratch" HOME="$scratch" \
    caddy validate --config Caddyfile --adapter caddyfile 2>"$scratch/caddy.log" \
    || { cat "$scratch/caddy.log" >&2; fail "caddy validate failed"; }

echo "deploy-check: compose.yaml against the Compose Specification"
"$check_jsonschema" --builtin-schema vendor.compose-spec compose.yaml

echo "deploy-check: livekit.yaml"
"$check_jsonschema" --schemafile livekit.schema.json livekit.yaml

echo "deploy-check: the files agree"
# Every variable compose.yaml interpolates is documented in .env.example.
for var in $(grep -v '^\s*#' compose.yaml | grep -o '\${[A-Z_]*' | cut -c3- | sort -u); do
    grep -q "^$var=" .env.example || fail "compose.yaml reads \${$var}, which .env.example does not document"
done
# Every variable the Caddyfile reads is given to the caddy service.
caddy_env=$(sed -n '/^  caddy:/,/^  [a-z]/p' compose.yaml)
for var in $(grep -v '^\s*#' Caddyfile | grep -o '{\$[A-Z_]*' | cut -c3- | sort -u); do
    grep -q "^      $var:" <<<"$caddy_env" || fail "the Caddyfile reads {\$$var}, which compose.yaml does not give to caddy"
done
# LiveKit signs webhooks with the key Caravel checks them with.
grep -q 'LIVEKIT_API_KEY: caravel$' compose.yaml || fail "Caravel's LIVEKIT_API_KEY is not caravel"
grep -q 'LIVEKIT_KEYS: "caravel: ' compose.yaml || fail "LiveKit's LIVEKIT_KEYS does not hold the key caravel"
# The RTC ports livekit.yaml listens on are the ones published.
grep -q '"7881:7881"' compose.yaml && grep -q '"7882:7882/udp"' compose.yaml \
    || fail "compose.yaml does not publish LiveKit's RTC ports 7881/tcp and 7882/udp"
# Images are pinned, never a moving tag.
if grep -E '^\s+image: ' compose.yaml | grep -E ':latest$|image: [^:]+$'; then
    fail "an image above is not pinned to a version"
fi
# The Dockerfile Caravel is built from exists.
[ -f ../Dockerfile ] || fail "compose.yaml builds ../Dockerfile, which is missing"

echo "deploy-check: ok (static checks; no container was started)"
