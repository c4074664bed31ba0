#!/usr/bin/env bash
# Fuzzes the API from its own OpenAPI document with schemathesis: the debug server starts on a
# free loopback port with a temporary data directory, every request is signed (NIP-98) by a key
# the server takes as a platform admin, and any server error or answer that does not match the
# document fails the run. A bounded number of examples per operation keeps it under 3 minutes.
#
#   backend/tests/fuzz/run.sh            (after `cargo build --bin caravel`; `just fuzz` does both)
#   backend/tests/fuzz/run.sh --install  (only installs the tools, as .ci/run does)
#
# The tools (requirements.txt) go into backend/tests/fuzz/.venv on first use.
# FUZZ_EXAMPLES (default 50) sets the examples per operation, FUZZ_SEED fixes the seed and
# FUZZ_CHECKS replaces the list of checks (`all` for every one schemathesis has).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
server_bin="${CARAVEL_BIN:-$target/debug/caravel}"
venv="${FUZZ_VENV:-$here/.venv}"

# The tools, in a venv of their own (the system's pip may refuse installs).
if ! "$venv/bin/python" -c 'import schemathesis, coincurve' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
fi
[ "${1:-}" = "--install" ] && exit 0
py="$venv/bin/python"

[ -x "$server_bin" ] || { echo "no server at $server_bin: run cargo build --bin caravel first" >&2; exit 1; }

data="$(mktemp -d)"
port="$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
secret="$("$py" -c 'import os; print(os.urandom(32).hex())')"
admin="$("$py" "$here/nip98.py" pubkey "$secret")"
base="http://127.0.0.1:$port"

DATA_DIR="$data" DATABASE_URL="sqlite://$data/caravel.db" HOST=127.0.0.1 PORT="$port" \
    PUBLIC_URL="$base" ADMINS="$admin" WEB_DIR="$data/no-dashboard" RUST_LOG=warn \
    "$server_bin" >"$data/server.log" 2>&1 &
server=$!
cleanup() {
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    rm -rf "$data"
}
trap cleanup EXIT

"$py" - "$base/api/health" <<'PY'
import sys, time, urllib.request
deadline = time.time() + 30
while True:
    try:
        urllib.request.urlopen(sys.argv[1], timeout=1)
        break
    except Exception:
        if time.time() > deadline:
            sys.exit("the server did not answer /api/health within 30 s")
        time.sleep(0.1)
PY

# Known resources, so operations on one reach their handlers rather than answering 404: the
# signer registered as a tenant with one relay. Generated values are still tried 30% of the time.
relay="$(NIP98_SECRET="$secret" "$py" "$here/nip98.py" seed "$base")"
# 503 is a dependency that is down (no relay, zooid or LiveKit runs here): documented where a
# route gives it, which status_code_conformance checks; any other 5xx fails the run.
cat >"$data/schemathesis.toml" <<TOML
[checks.not_a_server_error]
expected-statuses = ["2XX", "3XX", "4XX", 503]

[dictionaries]
relay = { values = ["$relay", "fuzz"] }
tenant = { values = ["$admin"] }

[parameters]
"path.id" = { dictionary = "relay", probability = 0.7 }
"path.pubkey" = { dictionary = "tenant", probability = 0.7 }
TOML

seed_args=()
[ -n "${FUZZ_SEED:-}" ] && seed_args=(--seed "$FUZZ_SEED")
status=0
# From the temporary directory, where schemathesis leaves its cache.
cd "$data"
PYTHONPATH="$here" SCHEMATHESIS_HOOKS=nip98 NIP98_SECRET="$secret" \
    "$venv/bin/schemathesis" --config-file "$data/schemathesis.toml" run "$base/api/openapi.json" \
    --checks "${FUZZ_CHECKS:-not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance}" \
    --max-examples "${FUZZ_EXAMPLES:-50}" --workers 2 --request-timeout 10 --no-color \
    "${seed_args[@]}" || status=$?
if [ "$status" -ne 0 ]; then
    echo "--- server log (last 50 lines) ---" >&2
    tail -n 50 "$data/server.log" >&2
fi
exit "$status"
