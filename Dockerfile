# Placement application image: the CLI, the worker and the demo Odoo.
FROM node:22.23.0-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

COPY . .

# Node 22 runs the TypeScript sources directly (type stripping); there is no build step.
ENTRYPOINT ["node", "client/cli.ts"]
CMD ["worker"]
