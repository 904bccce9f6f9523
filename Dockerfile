# KAA-assistenten for production: `kaa-bot serve` (migrates the database, then runs the bot)
# as a non-root user; the application is read-only, the SQLite store lives on the volume /data.
# BASE is any Debian-like image with Python 3.11+ and its venv module; CI, which reaches no
# container registry, builds one from Debian's packages (scripts/build-image).
ARG BASE=python:3.11-slim-bookworm
FROM ${BASE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/kaa/bin:$PATH \
    KAA_HOST=0.0.0.0 \
    PORT=3978 \
    KAA_DATABASE_URL=sqlite+aiosqlite:////data/kaa.db

WORKDIR /src
COPY pyproject.toml uv.lock README.md ./
COPY scripts/uv-version ./scripts/
COPY bot ./bot
COPY dialogs ./dialogs
COPY storage ./storage
COPY scheduler ./scheduler
COPY manifest ./manifest
# Exactly the versions of uv.lock (--locked refuses a lock that disagrees with pyproject.toml),
# compiled ahead so nothing is written into the application at run time; uv itself and the
# sources are removed again. pip and uv trust the system's certificate store, where an IT
# department adds the authority of its TLS-inspecting proxy.
RUN export PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
        SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    && python3 -m venv /opt/uv \
    && /opt/uv/bin/pip install --no-cache-dir --quiet "uv==$(python3 scripts/uv-version)" \
    && UV_PROJECT_ENVIRONMENT=/opt/kaa UV_PYTHON_DOWNLOADS=never UV_COMPILE_BYTECODE=1 \
       /opt/uv/bin/uv sync --locked --no-dev --no-editable --no-cache --python "$(command -v python3)" \
    && rm -rf /opt/uv /src \
    && useradd --uid 10001 --home-dir /data --no-create-home kaa \
    && mkdir /data \
    && chown kaa:kaa /data

USER kaa
WORKDIR /data
VOLUME /data
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=4)"]
CMD ["kaa-bot", "serve"]
