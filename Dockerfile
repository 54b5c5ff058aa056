# syntax=docker/dockerfile:1
# The pricesense serving image: `pricesense serve --aws` (/predict, /ping, /invocations, /metrics on
# 8080): the model in $PRICESENSE_MODEL_DIR, customer history from Feature Store, inferences into
# DynamoDB (local/serving/aws/). Built by CI into the ECR repository `pricesense-serving`; run on EKS
# by infra/eks/serving-manifests.ts with a read-only root filesystem (writable: /tmp, an emptyDir).
# Without --aws (another CMD) it serves the local twin in $PRICESENSE_STATE_DIR.

# --- build: production dependencies only, from the lock file -------------------------------------
FROM node:22.12.0-bookworm-slim AS build
WORKDIR /app
ENV NODE_ENV=production \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts \
 && npm cache clean --force
# Only what the server imports at run time: the CLI, the local twin's serving code and the
# production modules it shares with the Lambdas (no tests, docs, infra or CDK output).
COPY bin/ ./bin/
COPY local/ ./local/
COPY tasks/ ./tasks/
COPY workflow/ ./workflow/
COPY tsconfig.json ./

# --- runtime ---------------------------------------------------------------------------------------
FROM node:22.12.0-bookworm-slim AS runtime
LABEL org.opencontainers.image.title="pricesense-serving" \
      org.opencontainers.image.description="pricesense /predict, /ping, /invocations and /metrics" \
      org.opencontainers.image.licenses="Apache-2.0"
WORKDIR /app
ENV NODE_ENV=production \
    PRICESENSE_STATE_DIR=/var/lib/pricesense \
    TSX_DISABLE_CACHE=1 \
    PORT=8080
# The `node` user (uid/gid 1000) owns nothing under /app: the code cannot be rewritten at run time.
COPY --from=build --chown=root:root /app /app
RUN mkdir -p /var/lib/pricesense && chown 1000:1000 /var/lib/pricesense
USER 1000:1000
EXPOSE 8080
# Exec-form probe with node itself (the slim image has no curl): healthy once /ping answers 200,
# i.e. a model is loaded.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/ping').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "bin/pricesense.mjs", "serve"]
# AWS mode on all interfaces (the server binds 127.0.0.1 unless told); the manifests pass the same args.
CMD ["--aws", "--host", "0.0.0.0", "--port", "8080"]
