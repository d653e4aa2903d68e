# The web, worker and beat image of docker-compose.yml.
FROM python:3.11.15-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# Exactly the locked packages, each checked against its hash (`make lock` writes the lock).
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock && useradd --create-home alliance87
COPY . .
# Static files are collected at build time and served by whitenoise.
RUN SECRET_KEY=build-only DEBUG=0 python manage.py collectstatic --noinput
RUN mkdir -p /data/media && chown alliance87 /data/media
USER alliance87
EXPOSE 8000
CMD ["gunicorn", "alliance87.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
