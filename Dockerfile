# The bot as a container: the README's install (`npm ci`, which generates the Prisma client and
# builds dist/), then `npm start`'s command as an unprivileged user, checked through /healthz.
# Not built on the project's machines (they have no Docker engine); see README.md, "Deploying".

FROM node:20-slim AS build
WORKDIR /app
# npm ci runs the postinstall (prisma generate, then npm run build: tsc and the embedded database's
# initdb template in dist/), which needs the schema, scripts and sources.
COPY package.json package-lock.json tsconfig.json tsconfig.build.json prisma.config.ts ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY src ./src
RUN npm ci --no-audit --no-fund \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm cache clean --force

FROM node:20-slim
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/app/data
WORKDIR /app
# The embedded database (when DATABASE_URL is unset) lives in /app/data: mount a volume there.
RUN mkdir -p /app/data && chown node:node /app /app/data
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# Migrations are applied at start-up from prisma/migrations.
COPY --from=build --chown=node:node /app/prisma ./prisma
USER node
EXPOSE 3000
VOLUME ["/app/data"]
# Node 20 has fetch built in, so the check needs no curl in the image.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# `npm start` runs this; node itself as PID 1 gets SIGTERM and stops in order (src/main.ts).
CMD ["node", "dist/main.js"]
