"""`Authorization: Bearer td_…`: a personal token stands for its user."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from api.tokens import SCHEME, token_for


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() != SCHEME.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Mã truy cập không hợp lệ. / Invalid token header.")
        token = token_for(header[1])
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(
                "Mã truy cập không đúng, đã hết hạn hoặc đã bị thu hồi. / Unknown, expired or revoked token.")
        return token.user, token

    def authenticate_header(self, request) -> str:
        return SCHEME


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "Mã truy cập cá nhân, tạo ở trang hồ sơ. / A personal token, made on the profile page."}
