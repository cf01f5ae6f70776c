# syntax=docker/dockerfile:1
# PredictionDex image: three stages, one small runtime image (docs/packaging.md).
#   web      Node 20 (Debian 12): npm ci from package-lock.json, then `npm run build:web` (web/dist)
#   build    Debian 12 with the build packages of scripts/setup: the release `pdex` binary, tests and benchmarks off
#   runtime  debian:12-slim with only the shared libraries pdex links (tests/docker/docker_check.sh checks the list
#            against `ldd` and dpkg), a non-root user, a health check on GET /health
# Build:  docker build --build-arg PDEX_GIT_HASH=$(git rev-parse --short=12 HEAD) -t predictiondex .
# Run:    docker compose up (docker-compose.yml), or docker run -p 127.0.0.1:8000:8000 predictiondex

FROM node:20-bookworm-slim AS web
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY web web
COPY data/lgpe-dex.json data/lgpe-dex.json
RUN npm run build:web

FROM debian:12 AS build
# The build part of scripts/setup's APT_PACKAGES (tests/docker/docker_check.sh keeps the two in sync).
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build pkg-config ca-certificates \
      libboost-dev libssl-dev nlohmann-json3-dev libspdlog-dev libcli11-dev libfmt-dev \
      libsoci-dev libsqlite3-dev libpq-dev libxgboost-dev libjemalloc-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt CMakePresets.json ./
COPY cmake cmake
COPY src src
COPY docs docs
COPY data data
COPY configs configs
COPY deploy deploy
# No .git in the build context (.dockerignore): the hash comes in as an argument (pdex --version, /health).
ARG PDEX_GIT_HASH=unknown
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DPDEX_BUILD_TESTS=OFF -DPDEX_BUILD_BENCH=OFF \
      -DPDEX_GIT_HASH="${PDEX_GIT_HASH}" \
 && ninja -C build pdex \
 && strip build/src/cli/pdex \
 && build/src/cli/pdex --version

FROM debian:12-slim AS runtime
# Runtime libraries only: the packages that provide every library `ldd pdex` lists (their own dependencies
# come with them); ca-certificates for TLS connections to a managed PostgreSQL (sslmode=verify-full).
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libsoci-core4.0 libsoci-sqlite3-4.0 libsoci-postgresql4.0 libxgboost0 libspdlog1.10 libfmt9 libssl3 libjemalloc2 \
      ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/predictiondex --no-create-home \
      --shell /usr/sbin/nologin pdex \
 && install -d -o pdex -g pdex -m 0750 /var/lib/predictiondex
COPY --from=build /src/build/src/cli/pdex /usr/bin/pdex
COPY deploy/docker/entrypoint.sh /usr/bin/pdex-entrypoint
COPY deploy/docker/healthcheck.sh /usr/bin/pdex-healthcheck
COPY data/lgpe-dex.json /usr/share/predictiondex/data/lgpe-dex.json
COPY configs /usr/share/predictiondex/configs
COPY --from=web /src/web/dist /usr/share/predictiondex/web/dist
# Relative defaults (data/lgpe-dex.json, configs/, web/dist) resolve in the working directory; state
# (SQLite database, datasets, model artifacts) goes to the volume.
WORKDIR /usr/share/predictiondex
ENV PDEX_DATA_DIR=/var/lib/predictiondex \
    PDEX_DEX_FILE=/usr/share/predictiondex/data/lgpe-dex.json \
    PDEX_HOST=0.0.0.0 \
    PDEX_PORT=8000
VOLUME ["/var/lib/predictiondex"]
EXPOSE 8000
USER 10001:10001
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 CMD ["/usr/bin/pdex-healthcheck"]
# SIGTERM: the server stops accepting, finishes in-flight requests and drains the prediction log.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/pdex-entrypoint"]
CMD ["serve"]
