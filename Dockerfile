# syntax=docker/dockerfile:1
# Continuity: two-stage build. The builder compiles the release binary offline against the
# committed .sqlx query data (no database needed); the runtime image holds only the binary.

########## builder ##########
FROM rust:1-bookworm AS builder
WORKDIR /build
# Compile-checked queries use the committed .sqlx data, never a live schema.
ENV SQLX_OFFLINE=true \
    CARGO_TERM_COLOR=never
# The whole context (Cargo.toml, Cargo.lock, .cargo, .sqlx, src, migrations, templates, static,
# and benches/ when present); .dockerignore keeps target/ and .git/ out.
COPY . .
# Cache mounts keep the registry and build artefacts between builds; the binary is copied out
# of the cached target directory because cache mounts are not part of the image.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/usr/local/cargo/git \
    --mount=type=cache,target=/build/target \
    cargo build --release --locked \
 && install -m 0755 target/release/continuity /usr/local/bin/continuity

########## runtime ##########
FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 continuity \
 && useradd --system --uid 10001 --gid continuity --home-dir /app --shell /usr/sbin/nologin continuity
WORKDIR /app
COPY --from=builder /usr/local/bin/continuity /usr/local/bin/continuity
# Templates and static assets are compiled into the binary; nothing else is needed.
USER continuity:continuity
ENV BIND_ADDR=0.0.0.0:8080 \
    RUST_LOG=info \
    MALLOC_ARENA_MAX=2
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/continuity"]
CMD ["serve"]
