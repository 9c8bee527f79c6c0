# One image for all four services and the staff console's server; SERVICE picks which one runs. The `tools` stage keeps the workspace with
# its dev dependencies for one-shot jobs (infrastructure bootstrap, migrations in development).
# NODE_IMAGE: any Debian bookworm image with Node 20 and npm and a `node` user (a locally built one where no
# registry is reachable: `podman build --build-arg NODE_IMAGE=localhost/… .`).
ARG NODE_IMAGE=node:20.20-bookworm-slim
FROM ${NODE_IMAGE} AS tools
WORKDIR /workspace
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY . .
RUN NX_DAEMON=false npx nx run-many -t build -p intake scheduling sessions notifications console --outputStyle=static

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error && npm cache clean --force
COPY --from=tools /workspace/dist ./dist
USER node
ENV SERVICE=intake
# `docker run ... migrate` runs the migrations instead of serving.
ENTRYPOINT ["sh", "-c", "exec node --enable-source-maps dist/apps/$SERVICE/main.js \"$@\"", "--"]
