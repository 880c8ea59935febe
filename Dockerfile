# syntax=docker/dockerfile:1
# supportpath's container image: one image for the app servers (the default command, gunicorn) and the task
# workers (`python manage.py worker`). docs/deployment.md gives the topology and the settings.
#
#   docker build -t supportpath .
#   docker run --env-file supportpath.env -p 8000:8000 supportpath                  # an app server
#   docker run --env-file supportpath.env --no-healthcheck supportpath python manage.py worker
#
# Base images are pinned to a release; pin them to a digest (name@sha256:...) in your own registry.

# 1. The NHS.UK frontend assets, from the pinned npm package (package-lock.json).
FROM node:22.12-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY scripts/build-assets.mjs scripts/
RUN mkdir -p supportpath/static && node scripts/build-assets.mjs

# 2. The Python packages, pinned (requirements.txt, and every package they bring with them in constraints.txt),
#    into a virtual environment that the final image copies without pip or any build tool.
FROM python:3.11.11-slim AS python-packages
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
COPY requirements.txt constraints.txt /tmp/
RUN /opt/venv/bin/pip install -r /tmp/requirements.txt -c /tmp/constraints.txt

# 3. The image that runs: slim, no compilers, a user without privileges, static files collected at build.
FROM python:3.11.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_ENV=production \
    SUPPORTPATH_DATA_DIR=/var/lib/supportpath
# fonts-dejavu-core: the plan PDFs (fpdf2) are set in DejaVu Sans.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 supportpath \
    && useradd --system --uid 10001 --gid supportpath --home-dir /app --shell /usr/sbin/nologin supportpath \
    && mkdir -p /var/lib/supportpath && chown supportpath:supportpath /var/lib/supportpath
COPY --from=python-packages /opt/venv /opt/venv
WORKDIR /app
COPY --chown=root:root manage.py ./
COPY --chown=root:root supportpath ./supportpath
COPY --from=assets --chown=root:root /build/supportpath/static/vendor ./supportpath/static/vendor
# collectstatic needs the production settings to load, which refuse to start without their secrets: these
# throw-away values exist only for this one command and are not kept in the image (no ENV).
RUN SECRET_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    LOOKUP_HASH_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    FIELD_ENCRYPTION_KEYS="$(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
    ALLOWED_HOSTS=build.invalid DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    SITE_URL=https://build.invalid HELP_EMAIL=help@build.invalid \
    python manage.py collectstatic --no-input --verbosity 0 \
    && rm -f /tmp/build.sqlite3
USER supportpath:supportpath
EXPOSE 8000
# /healthz answers 200 while the database answers, 503 when not. The Host header must be one this deployment
# allows; production settings exempt /healthz from the redirect to https (the probe speaks plain HTTP inside).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request as u; host = os.environ['ALLOWED_HOSTS'].split(',')[0].strip(); r = u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': host}), timeout=4); sys.exit(r.status != 200)"]
# Override any option with GUNICORN_CMD_ARGS (e.g. "--workers 4 --threads 4"); docs/deployment.md sizes them.
CMD ["gunicorn", "supportpath.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "4", \
     "--worker-tmp-dir", "/dev/shm", "--graceful-timeout", "30", "--keep-alive", "75", "--access-logfile", "-"]
