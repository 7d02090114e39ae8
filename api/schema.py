"""What the OpenAPI schema says about authentication (drf-spectacular reads this on import)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "personalAccessToken"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token from your profile (Profile → API tokens), "
            "sent as `Authorization: Bearer cpd_…`. Read tokens may only read.",
        }
