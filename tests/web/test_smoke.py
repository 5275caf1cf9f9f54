def test_the_sign_in_page_is_served(client, db):
    response = client.get("/account/login/")
    assert response.status_code == 200
    assert b"Sign in to Jigsaw" in response.content


def test_alice_sees_her_home_page(cast, signed_in):
    response = signed_in(cast.alice).get("/")
    assert response.status_code == 200
    assert b"Riverside School" in response.content
