"""The web face: create_app(settings), pages, the REST API under /api/v1, security middleware."""
