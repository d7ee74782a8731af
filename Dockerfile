# Placement application image: the `placement` CLI, which runs the worker, the dashboard, the
# one-off commands and the demo Odoo (see docker-compose.yml).
# The Node.js 22 release the test suite last ran on (scripts/bootstrap.sh installs the latest 22).
FROM node:22.23.5-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production
# Lake folder, DuckDB files and dashboard accounts; docker-compose.yml mounts a volume here.
ENV PLACEMENT_DATA_DIR=/data

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY . .

# The code stays owned by root, read-only to the process; only the data folder is writable.
RUN mkdir -p /data && chown node:node /data
USER node

# Node 22 runs the TypeScript sources directly (type stripping): there is no build step. No
# Temporal CLI either: the stack sets TEMPORAL_ADDRESS, so nothing starts a dev server.
ENTRYPOINT ["node", "client/cli.ts"]
CMD ["worker"]
