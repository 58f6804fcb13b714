"""Who may call the API: a signed-in user (a token or the session). What each may see or
change is asked of accounts.permissions in the views, as the pages do."""

from __future__ import annotations

from rest_framework.permissions import BasePermission


class SignedIn(BasePermission):
    message = "Cần đăng nhập hoặc mã truy cập. / Sign in or send a token."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated)
