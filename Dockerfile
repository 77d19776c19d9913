# syntax=docker/dockerfile:1
#
# One image definition for all five Handoff services.
#
#   docker build --build-arg SERVICE=intake -t handoff-intake .   # only intake's packages; CMD runs it
#   docker build -t handoff .                                      # the whole workspace (all five)
#   docker run handoff python -m police_handover                   # ...then pick one by command
#
# SERVICE is a workspace member's directory name: intake, returns, police-handover,
# monitoring or resettlement (its Python package is the same with "-" as "_").

ARG PYTHON_IMAGE=python:3.11-slim

# ---------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS builder

ARG UV_VERSION=0.13.9
RUN pip install --no-cache-dir "uv==${UV_VERSION}"

ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3.11 \
    UV_PROJECT_ENVIRONMENT=/app/.venv

ARG SERVICE=""
WORKDIR /src

# Third-party dependencies first, from the lock only: this layer is reused until
# uv.lock or a pyproject.toml changes. Without SERVICE, the root project's dependencies
# (the five services) are installed; never --all-packages, which would also install the
# developer-only workspace member shared/devtools (local broker, test fixtures).
COPY pyproject.toml uv.lock ./
COPY shared/schemas/pyproject.toml shared/schemas/
COPY shared/plumbing/pyproject.toml shared/plumbing/
COPY shared/workdays/pyproject.toml shared/workdays/
COPY shared/devtools/pyproject.toml shared/devtools/
COPY services/intake/pyproject.toml services/intake/
COPY services/returns/pyproject.toml services/returns/
COPY services/police-handover/pyproject.toml services/police-handover/
COPY services/monitoring/pyproject.toml services/monitoring/
COPY services/resettlement/pyproject.toml services/resettlement/
RUN --mount=type=cache,target=/root/.cache/uv \
    if [ -n "$SERVICE" ]; then set -- --package "handoff-$SERVICE"; fi; \
    uv sync --frozen --no-dev --no-install-workspace "$@"

# Then the workspace's own packages, installed as wheels (not editable), so that the
# runtime stage needs the virtual environment only, not the source tree.
COPY shared/ shared/
COPY services/ services/
RUN --mount=type=cache,target=/root/.cache/uv \
    if [ -n "$SERVICE" ]; then set -- --package "handoff-$SERVICE"; fi; \
    uv sync --frozen --no-dev --no-editable "$@"

# ---------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

ARG SERVICE=""
LABEL org.opencontainers.image.title="handoff${SERVICE:+-}${SERVICE}"

RUN groupadd --system --gid 10001 handoff \
 && useradd --system --uid 10001 --gid handoff --home-dir /app --no-create-home handoff \
 && mkdir -p /app/var \
 && chown handoff:handoff /app/var

COPY --from=builder --chown=root:root /app/.venv /app/.venv

# Every field of handoff_plumbing.settings.Settings is settable by its upper-case name;
# KAFKA_BOOTSTRAP_SERVERS, KAFKA_SASL_*, DATABASE_URL, JWT_JWKS_URL, OTEL_EXPORTER_OTLP_ENDPOINT, ... come
# from the deployment. VAR_DIR only matters for the SQLite fallback (no DATABASE_URL).
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=8000 \
    VAR_DIR=/app/var \
    SERVICE=${SERVICE}

WORKDIR /app
USER 10001:10001
EXPOSE 8000

HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:${HTTP_PORT:-8000}/health/live', timeout=4)" || exit 1

# `python -m <package>` for the SERVICE the image was built for; with an image of the
# whole workspace, give the command instead (`python -m intake`, ...).
CMD ["/bin/sh", "-c", "if [ -z \"$SERVICE\" ]; then echo 'no SERVICE: build with --build-arg SERVICE=<service> or run python -m <package>' >&2; exit 64; fi; exec python -m \"$(echo \"$SERVICE\" | tr - _)\""]
