# KAA-assistenten for production: `kaa-bot serve` (migrates the database, then runs the bot).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    KAA_HOST=0.0.0.0 \
    PORT=3978

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY dialogs ./dialogs
COPY storage ./storage
COPY scheduler ./scheduler
COPY manifest ./manifest
RUN pip install --no-cache-dir . \
    && useradd --system --uid 10001 kaa
USER kaa

EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,os; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=4)"
CMD ["kaa-bot", "serve"]
