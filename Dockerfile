# syntax=docker/dockerfile:1

# Build: compile better-sqlite3 if no prebuilt binary fits, bundle the server (scripts/build.ts),
# then drop the dev dependencies so that node_modules can be copied as is.
FROM node:24-bookworm-slim AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci
COPY tsconfig.json ./
COPY scripts/build.ts ./scripts/
COPY src ./src
RUN npm run build && npm prune --omit=dev

# Runtime: no compiler, files owned by root and read-only for the `node` user that runs the server.
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
  CHARTHOUSE_STORAGE=/data \
  CHARTHOUSE_HOST=0.0.0.0 \
  CHARTHOUSE_PORT=8080
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The numbered SQL files are read at run time, from the package root above dist/ (src/package-root.ts).
COPY migrations ./migrations
COPY package.json ./
COPY bin ./bin
# The volume is created from this directory, so it starts out owned by `node`.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8080
# Follows CHARTHOUSE_PORT and CHARTHOUSE_CONTEXT_PATH if they are changed at `docker run` time.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "const e = process.env; const path = (e.CHARTHOUSE_CONTEXT_PATH || '').split('/').filter(Boolean).map((s) => '/' + s).join(''); fetch('http://127.0.0.1:' + (e.CHARTHOUSE_PORT || 8080) + path + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/cli.js", "serve"]
