"""The REST API (/api/v1/, Django REST Framework, OpenAPI schema at /api/schema/) and the
personal access tokens it is called with (/accounts/tokens/).
"""
