# The same Node release as the `node` devDependency that npm scripts and the tests run on (a test
# keeps the two in step); trixie: Debian's current stable (bookworm's support has ended).
# Build stage: compile TypeScript and build the pages with the dev dependencies.
FROM node:24.21.0-trixie-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY seeds ./seeds
COPY web ./web
# Server and pages (dist/web: the dashboards and the playground, served by the hub itself). Pruning
# to the runtime dependencies drops embedded-postgres (a devDependency: ~60 MB of PostgreSQL binaries
# the image never runs, DATABASE_URL being required in production) and the `node` package.
RUN npm run -s build \
  && npm prune --omit=dev --no-audit --no-fund

# Run stage: only what runs.
FROM node:24.21.0-trixie-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json schema.graphql ./
USER node
EXPOSE 4000
CMD ["node", "dist/src/main.js"]
