from django.test import RequestFactory

from jigsaw.web import views


def test_the_500_page_leaks_nothing(db):
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = views.server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert "Traceback" not in html


def test_an_unknown_address_gets_the_plain_404_page(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_the_privacy_notice_is_public(client, db):
    response = client.get("/privacy/")
    assert response.status_code == 200
    assert b"Privacy notice" in response.content
