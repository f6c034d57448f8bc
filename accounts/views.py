"""The site's own sign-in: where each kind of user lands afterwards."""

from django.contrib.auth import views as auth_views
from django.shortcuts import resolve_url

from . import roles
from .forms import SignInForm


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm

    def get_default_redirect_url(self):
        """Without ``next``, students land on the knowledge challenges; everyone else on LOGIN_REDIRECT_URL."""
        user = self.request.user
        if not self.next_page and not user.is_superuser and roles.has_role(user, roles.STUDENT):
            return resolve_url("quiz:challenge:index")
        return super().get_default_redirect_url()
