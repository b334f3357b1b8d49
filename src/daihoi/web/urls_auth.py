"""Sign-in, home, dashboard, congress setup and the health check."""

from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, path

from daihoi.congress.views import auth, dashboard

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", auth.healthz, name="healthz"),
    path(
        "login/",
        auth.StaffLoginView.as_view(),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("d/", auth.delegate_login, name="delegate_login"),
    path("d/<str:code>/", auth.delegate_card, name="delegate_card"),
    path("", dashboard.home, name="home"),
    path("c/<slug:slug>/", dashboard.dashboard, name="dashboard"),
    path("c/<slug:slug>/setup/", dashboard.setup, name="setup"),
]
