from django.urls import include, path

from jigsaw.accounts import views as account_views
from jigsaw.api import api
from jigsaw.web import views as web_views

urlpatterns = [
    path("", web_views.home, name="home"),
    path("privacy/", web_views.privacy, name="privacy"),
    path("healthz", web_views.healthz, name="healthz"),
    path("account/logout/", account_views.SignOutView.as_view(), name="account_logout"),
    path("account/", include("allauth.urls")),
    path("account/organisation/", account_views.switch_organisation, name="switch_organisation"),
    path("admin/", include("jigsaw.accounts.urls")),
    path("people/", include("jigsaw.people.urls")),
    path("", include("jigsaw.chronology.urls")),
    path("", include("jigsaw.sharing.urls")),
    path("", include("jigsaw.linkage.urls")),
    path("api/v1/", api.urls),
]

handler400 = "jigsaw.web.views.bad_request"
handler403 = "jigsaw.web.views.forbidden"
handler404 = "jigsaw.web.views.not_found"
handler500 = "jigsaw.web.views.server_error"
