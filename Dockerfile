FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends bubblewrap npm make && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml requirements.lock package.json package-lock.json ./
COPY graders/ graders/
COPY dlgrade_client/ dlgrade_client/
RUN pip install --no-cache-dir -c requirements.lock -e . && npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN useradd --uid 10001 --no-create-home dlgrade && mkdir -p /app/var && chown dlgrade /app/var
USER dlgrade
ENV PYTHONPATH=/app:/app/platform DJANGO_SETTINGS_MODULE=config.settings PYTHONUNBUFFERED=1
