# Caravel: a small image running the control plane, its data in a volume.
#   docker build -t caravel .
#   docker run -p 3000:3000 -v caravel-data:/data -e PUBLIC_URL=https://caravel.example.com caravel

FROM node:20-bookworm-slim AS web
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend ./
RUN npm run build

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
ENV SQLX_OFFLINE=true
COPY Cargo.toml Cargo.lock ./
COPY .sqlx .sqlx
COPY migrations migrations
COPY backend backend
RUN cargo build --release --locked --bin caravel

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /data caravel \
    && mkdir -p /data && chown caravel /data
COPY --from=build /src/target/release/caravel /usr/local/bin/caravel
COPY --from=web /src/frontend/build /srv/web
USER caravel
WORKDIR /data
ENV HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    DATABASE_URL=sqlite:///data/caravel.db \
    WEB_DIR=/srv/web
VOLUME ["/data"]
EXPOSE 3000
CMD ["caravel"]
