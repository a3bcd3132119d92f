"""The Django project that hosts Lộ Trình's apps (settings, URLs, WSGI/ASGI entry points)."""
