# Multi-stage build: compile with the full toolchain, ship a slim image with
# only the binary and the PostgreSQL client library.
#   docker build -t maillage .
#   docker run -p 8080:8080 -v maillage-data:/var/lib/maillage/data \
#       -e MAILLAGE_DOMAIN=maillage.example.org maillage
FROM rust:1-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin maillage && strip target/release/maillage

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /var/lib/maillage maillage \
    && mkdir -p /var/lib/maillage/data && chown maillage /var/lib/maillage/data
COPY --from=build /src/target/release/maillage /usr/local/bin/maillage
COPY config/maillage.example.toml /etc/maillage/maillage.example.toml
USER maillage
WORKDIR /var/lib/maillage
VOLUME ["/var/lib/maillage/data"]
ENV MAILLAGE_BIND=0.0.0.0:8080 \
    MAILLAGE_DATABASE_URL=/var/lib/maillage/data/maillage.db
EXPOSE 8080
STOPSIGNAL SIGTERM
ENTRYPOINT ["maillage"]
CMD ["serve"]
