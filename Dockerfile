# One image for all four services and the staff console's server; SERVICE picks which one runs. The `tools`
# stage keeps the workspace with its dev dependencies for one-shot jobs (infrastructure bootstrap, migrations
# in development).
# NODE_IMAGE: any Debian bookworm image with Node 20 and npm and a `node` user (a locally built one where no
# registry is reachable: `scripts/test-image.sh` builds localhost/stepwise-node:20, see docs/deployment.md).
#
# Registry traffic through a TLS-inspecting proxy: pass the CA bundle the build machine trusts as the build
# secret `npmca` (`--secret id=npmca,src=/etc/ssl/certs/ca-certificates.crt`). Only the two `npm ci` steps see
# it (NODE_EXTRA_CA_CERTS, added to Node's own CAs), mounted for that step alone, so no layer of either stage
# holds it. Without the secret the steps use Node's CAs alone.
ARG NODE_IMAGE=node:20.20-bookworm-slim
FROM ${NODE_IMAGE} AS tools
WORKDIR /workspace
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npmca \
    if [ -s /run/secrets/npmca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npmca; fi; \
    npm ci --no-audit --no-fund --loglevel=error
COPY . .
RUN NX_DAEMON=false NX_NO_CLOUD=true npx nx run-many -t build -p intake scheduling sessions notifications console --outputStyle=static

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npmca \
    if [ -s /run/secrets/npmca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npmca; fi; \
    npm ci --omit=dev --no-audit --no-fund --loglevel=error && npm cache clean --force
COPY --from=tools /workspace/dist ./dist
USER node
ENV SERVICE=intake
# `docker run ... migrate` runs the migrations instead of serving.
ENTRYPOINT ["sh", "-c", "exec node --enable-source-maps dist/apps/$SERVICE/main.js \"$@\"", "--"]
