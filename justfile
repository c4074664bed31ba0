# Caravel: `just run` serves on the defaults, `just test` runs every test.

set dotenv-load := false
export SQLX_OFFLINE := "true"

# Build and start the platform on embedded defaults (SQLite in ./data, port 3000).
run:
    cargo run --release --bin caravel

# Run every test: Rust unit and integration tests, with the npm test peers.
test: peers
    cargo test --workspace --all-targets --locked

# Install the independent protocol peers the integration tests drive (nostr-tools,
# livekit-server-sdk, …), again whenever the lockfile changed since the last install.
peers:
    @test backend/tests/peers/node_modules/.package-lock.json -nt backend/tests/peers/package-lock.json || npm ci --prefix backend/tests/peers --no-audit --no-fund

# Throughput, latency, memory and provisioning figures (see README). `just bench api` runs one section.
bench *sections:
    cargo build --release --locked --bin caravel --bin caravel-bench
    ./target/release/caravel-bench ./target/release/caravel {{sections}}

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
