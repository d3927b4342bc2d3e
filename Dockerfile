# One image for the web server, the Celery worker and beat (docker-compose.yml chooses the command).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# gettext compiles the translations; pango and the Noto CJK fonts let WeasyPrint write Chinese PDF reports.
RUN apt-get update && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 \
    fonts-noto-cjk && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
# The build needs settings but no secret: a throwaway key of production's length, used for nothing.
RUN pip install --no-cache-dir . \
 && export DEBUG=0 SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
 && python manage.py collectstatic --noinput \
 && python manage.py compilemessages
EXPOSE 8000
CMD ["gunicorn", "liaoning_eco.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
