# Production image: gunicorn serves the web app; the same image runs the Celery worker and beat.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VAR_DIR=/app/var
WORKDIR /app

COPY pyproject.toml ./
RUN pip install --no-cache-dir --upgrade pip && pip install --no-cache-dir -e .
COPY . .
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput -v0 \
    && useradd --system --home /app closer && mkdir -p /app/var && chown -R closer /app/var
USER closer

EXPOSE 8000
CMD ["gunicorn", "selfhelp.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--worker-class", "sync", "--access-logfile", "-"]
