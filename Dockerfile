# Build stage: compile TypeScript and build the pages with the dev dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY seeds ./seeds
COPY web ./web
# Server and pages (dist/web: the dashboards and the playground, served by the hub itself).
RUN npm run -s build && npm prune --omit=dev

# Run stage: only what runs. The embedded PostgreSQL is not used here (DATABASE_URL is set).
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json schema.graphql ./
USER node
EXPOSE 4000
CMD ["node", "dist/src/main.js"]
