# Caravel: `just run` serves on the defaults, `just test` runs every test.

set dotenv-load := false
export SQLX_OFFLINE := "true"

# Build the dashboard, then build and start the platform on embedded defaults (SQLite in ./data,
# port 3000): the dashboard at http://127.0.0.1:3000/, the API under /api.
run: frontend
    cargo run --release --bin caravel

# Run every test: Rust unit and integration tests (with the npm test peers), the dashboard's, and
# the API fuzz run.
test: peers frontend-test demo-test deploy-check fuzz
    cargo test --workspace --all-targets --locked

# Fuzz the API from its own OpenAPI document (schemathesis, every request NIP-98-signed by a
# platform admin): any server error or answer the document does not describe fails. Under 3
# minutes; see backend/tests/fuzz/run.sh for its knobs.
fuzz:
    cargo build --locked --bin caravel
    backend/tests/fuzz/run.sh

# Static checks of the deployment stack in deploy/: the Caddyfile (caddy validate), compose.yaml
# against the Compose Specification's schema, livekit.yaml. No Docker engine needed.
deploy-check:
    bash deploy/check.sh

# Install the dashboard's npm packages when the lockfile changed since the last install.
frontend-deps:
    @test frontend/node_modules/.package-lock.json -nt frontend/package-lock.json || npm ci --prefix frontend --no-audit --no-fund

# Build the dashboard into frontend/build (fails over the JavaScript budget).
frontend: frontend-deps
    npm run --prefix frontend build

# The dashboard's checks: types, lint, build with budget, unit tests, the API types against the
# built server's OpenAPI document, then end-to-end tests in Chromium against that server (the
# community pages' tests provision to the zooid stand-in, built here too).
frontend-test: frontend-deps demo-deps
    cd frontend && npm run check && npm run lint && npm run build && npm test
    cargo build --locked --bin caravel --bin zooid-standin
    npm run --prefix frontend api:check
    npm run --prefix frontend e2e

# Install the independent protocol peers the integration tests drive (nostr-tools, @getalby/sdk,
# livekit-server-sdk, …), again whenever the lockfile changed since the last install.
peers:
    @test backend/tests/peers/node_modules/.package-lock.json -nt backend/tests/peers/package-lock.json || npm ci --prefix backend/tests/peers --no-audit --no-fund

# A demo on one machine: the platform with a local Nostr relay and a regtest Lightning test wallet
# (frontend/demo, never part of the production server). See README.
# Uses the debug build the tests share (dependencies are optimised in dev builds too).
demo: frontend demo-deps
    cargo build --locked --bin caravel
    node frontend/demo/demo.mjs

demo-deps:
    @test frontend/demo/node_modules/.package-lock.json -nt frontend/demo/package-lock.json || npm ci --prefix frontend/demo --no-audit --no-fund

# The demo tools against an independent NWC client: invoice issued, paid, seen settled.
demo-test: demo-deps
    node frontend/demo/selftest.mjs

# Throughput, latency, memory and provisioning figures, then billing (see README).
# `just bench api` (or slow, community, provisioning, fleet, billing, backup, scale) runs one section; backup and
# scale (1,000 to 100,000 tenants, billing included: about half an hour) only when named.
bench *sections:
    cargo build --release --locked --bin caravel --bin caravel-bench --bin caravel-bench-billing
    ./target/release/caravel-bench ./target/release/caravel {{sections}}
    @if [ -z "{{sections}}" ] || echo "{{sections}}" | grep -qw billing; then ./target/release/caravel-bench-billing; fi
    @if echo "{{sections}}" | grep -qw scale; then for n in 1000 10000 100000; do ./target/release/caravel-bench-billing $n; done; fi

# Formatting, lints and the offline query cache.
check:
    cargo fmt --all --check
    cargo clippy --workspace --all-targets --locked -- -D warnings
    cargo sqlx prepare --workspace --check -- --all-targets

# Refresh the committed query cache after changing a query or migration (needs sqlx-cli).
prepare:
    rm -f /tmp/caravel-prepare.db
    DATABASE_URL=sqlite:///tmp/caravel-prepare.db cargo sqlx database create
    DATABASE_URL=sqlite:///tmp/caravel-prepare.db cargo sqlx migrate run
    DATABASE_URL=sqlite:///tmp/caravel-prepare.db SQLX_OFFLINE=false cargo sqlx prepare --workspace -- --all-targets
