# virtfleet API image. The Node version is the one the test suite runs on (package.json engines).
# Pinned by version tag: this build machine cannot reach a registry to resolve a digest; pin
# `node:20.20.2-bookworm-slim@sha256:...` where you build.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# Build stage: compiles the libvirt binding and our addon against Debian's libvirt-dev, then
# assembles the runtime file set with the same script the tests boot from.
FROM ${NODE_IMAGE} AS build
RUN apt-get update && apt-get install -y --no-install-recommends libvirt-dev pkg-config g++ make python3 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN bash scripts/build-native.sh \
    && PRISMA_SCHEMA_ENGINE_BINARY="$(command -v node)" npx prisma generate \
    && npx nest build \
    && (cd prisma/offline-migrate && npm ci --ignore-scripts --no-audit --no-fund) \
    && bash scripts/runtime-files.sh /runtime

# Runtime stage: the libvirt client library and the assembled files, nothing else. Runs as an
# unprivileged user; give it the group of the mounted libvirt socket (compose: group_add).
FROM ${NODE_IMAGE}
RUN apt-get update && apt-get install -y --no-install-recommends libvirt0 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 virtfleet \
    && useradd --system --uid 10001 --gid virtfleet --home-dir /app --shell /usr/sbin/nologin virtfleet
WORKDIR /app
COPY --from=build /runtime/ /app/
USER virtfleet
# libvirt calls run on libuv's worker threads (4 by default); see scripts/start.sh.
ENV NODE_ENV=production BIND_ADDRESS=0.0.0.0 PORT=3000 UV_THREADPOOL_SIZE=64
EXPOSE 3000
# Ready, not merely alive: PostgreSQL answers and, when hosts are registered, at least one does.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["sh", "-c", "node prisma/offline-migrate/migrate.mjs deploy && exec node dist/main.js"]
