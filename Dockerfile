# Build stage: compiles the libvirt binding and our addon against Debian's libvirt-dev.
FROM node:20-bookworm-slim AS build
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
    && npm prune --omit=dev

# Runtime stage: only the libvirt client library, no compiler.
FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libvirt0 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/src/hypervisor/libvirt/native/build/Release ./dist/hypervisor/libvirt/native/build/Release
EXPOSE 3000
CMD ["sh", "-c", "node prisma/offline-migrate/migrate.mjs deploy && exec node dist/main.js"]
