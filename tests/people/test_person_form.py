from jigsaw.audit.models import AccessEvent, Action
from jigsaw.people.models import Person, PersonChange

GOOD = {
    "given_name": "Zoë",
    "family_name": "Ó Briain",
    "date_of_birth_day": "4",
    "date_of_birth_month": "11",
    "date_of_birth_year": "2016",
    "sex": "female",
    "nhs_number": "999 000 1243",
    "upn": "",
    "postcode": "pl4 8aa",
}


def test_it_adds_a_person_with_normalised_identifiers(signed_in, cast):
    response = signed_in(cast.alice).post("/people/add/", GOOD)
    person = Person.objects.get(given_name="Zoë")
    assert response.status_code == 302
    assert response["Location"] == f"/people/{person.pk}/"
    assert person.organisation == cast.riverside
    assert person.nhs_number == "9990001243"
    assert person.postcode == "PL4 8AA"
    assert AccessEvent.objects.filter(action=Action.CREATE, person=person, object_type="people.person").count() == 1


def errors_for(client, **changes):
    response = client.post("/people/add/", {**GOOD, **changes})
    assert response.status_code == 200
    assert b"There is a problem" in response.content
    return response.content.decode()


def test_it_rejects_an_nhs_number_with_a_bad_check_digit(signed_in, cast):
    html = errors_for(signed_in(cast.alice), nhs_number="999 000 1244")
    assert "Enter a valid NHS number" in html
    assert 'value="999 000 1244"' in html  # what was typed is kept


def test_it_rejects_an_nhs_number_of_the_wrong_length(signed_in, cast):
    assert "NHS number must be 10 digits" in errors_for(signed_in(cast.alice), nhs_number="99900012")


def test_it_rejects_a_upn_with_a_wrong_check_letter(signed_in, cast):
    html = errors_for(signed_in(cast.alice), upn="A801200001001")
    assert "Enter a valid unique pupil number" in html
    assert 'value="A801200001001"' in html


def test_it_accepts_a_upn_with_the_right_check_letter(signed_in, cast):
    signed_in(cast.alice).post("/people/add/", {**GOOD, "upn": "H801200001001"})
    assert Person.objects.get(given_name="Zoë").upn == "H801200001001"


def test_it_rejects_a_postcode_that_is_not_uk_format(signed_in, cast):
    html = errors_for(signed_in(cast.alice), postcode="12345")
    assert "Enter a real postcode" in html
    assert 'value="12345"' in html


def test_it_rejects_a_date_of_birth_in_the_future(signed_in, cast):
    html = errors_for(signed_in(cast.alice), date_of_birth_year="2999")
    assert "Date of birth must be today or in the past" in html
    assert 'value="2999"' in html
    assert 'href="#id_date_of_birth_day"' in html


def test_it_rejects_an_impossible_date(signed_in, cast):
    assert "must be a real date" in errors_for(signed_in(cast.alice), date_of_birth_day="31",
                                               date_of_birth_month="2")


def test_it_needs_a_reason_when_the_nhs_number_is_absent(signed_in, cast):
    html = errors_for(signed_in(cast.alice), nhs_number="")
    assert "Enter the NHS number, or say why it is not recorded" in html


def test_it_needs_a_reason_for_a_protected_identity(signed_in, cast):
    html = errors_for(signed_in(cast.alice), protected_identity="on")
    assert "Say why this person&#x27;s identity must be protected" in html


def test_it_escapes_scripts_typed_into_names(signed_in, cast):
    client = signed_in(cast.alice)
    client.post("/people/add/", {**GOOD, "given_name": "<script>alert(1)</script>"})
    person = Person.objects.get(family_name="Ó Briain")
    html = client.get(f"/people/{person.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_it_refuses_overlong_input_with_an_error(signed_in, cast):
    html = errors_for(signed_in(cast.alice), given_name="x" * 5000)
    assert "Ensure this value has at most 100 characters" in html


def test_staff_cannot_add_people(signed_in, cast):
    assert signed_in(cast.bob).get("/people/add/").status_code == 404


def test_edits_are_kept_in_the_change_history(signed_in, cast):
    client = signed_in(cast.alice)
    form = {**GOOD, "given_name": "Maya", "family_name": "Thompson", "nhs_number": "9990001235",
            "date_of_birth_day": "27", "date_of_birth_month": "3", "date_of_birth_year": "2015",
            "postcode": "PL4 8AB", "address": "1 Mill Lane, Westbridge", "school": cast.riverside.pk}
    response = client.post(f"/people/{cast.maya.pk}/edit/", form)
    assert response.status_code == 302
    change = PersonChange.objects.get(person=cast.maya)
    assert change.changed_by == cast.alice
    assert change.changes["postcode"] == ["PL4 8AA", "PL4 8AB"]
    history = client.get(f"/people/{cast.maya.pk}/history/").content.decode()
    assert "Alice Adeyemi" in history
    assert "PL4 8AB" in history


def test_an_outsider_cannot_edit_another_schools_child(signed_in, cast):
    response = signed_in(cast.carol).post(f"/people/{cast.maya.pk}/edit/", {**GOOD})
    assert response.status_code == 404
    cast.maya.refresh_from_db()
    assert cast.maya.given_name == "Maya"


def test_it_rejects_full_width_digits_in_identifiers_and_dates(signed_in, cast):
    html = errors_for(signed_in(cast.alice), nhs_number="９９９０００１２４３", date_of_birth_year="２０１６")
    assert "NHS number must contain only numbers" in html
    assert "Date of birth must be a real date" in html
