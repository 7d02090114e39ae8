from django.contrib import admin

from .models import IssuedCredential, SigningKey


@admin.register(IssuedCredential)
class IssuedCredentialAdmin(admin.ModelAdmin):
    list_display = ["id", "signoff", "issued_at"]
    readonly_fields = ["id", "signoff", "subject_id", "compact_jws", "issued_at"]


@admin.register(SigningKey)
class SigningKeyAdmin(admin.ModelAdmin):
    list_display = ["thumbprint", "created_at"]
    readonly_fields = ["thumbprint", "public_jwk", "created_at"]
