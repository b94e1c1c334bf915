"""The production stack around Django: nginx in front of gunicorn (`make serve`)."""
