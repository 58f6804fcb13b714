from django.contrib.auth import views as auth_views
from django.urls import path

from accounts.forms import LoginForm

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
