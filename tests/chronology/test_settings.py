from jigsaw.audit.models import AccessEvent, Action
from jigsaw.chronology.forms import categories_for
from jigsaw.chronology.models import Category, Settings


def test_the_partnership_adds_its_own_category(signed_in, cast):
    response = signed_in(cast.pat).post("/admin/categories/", {"name": "Gang  affiliation", "serious": "on"})
    assert response.status_code == 302
    category = Category.objects.get(local_authority=cast.westbridge)
    assert category.name == "Gang affiliation" and category.serious
    assert category in categories_for(cast.riverside)
    assert AccessEvent.objects.filter(action=Action.ADMINISTER, user=cast.pat).exists()


def test_a_duplicate_category_is_refused(signed_in, cast):
    response = signed_in(cast.pat).post("/admin/categories/", {"name": "neglect"})
    assert response.status_code == 400 and "already a category" in response.content.decode()


def test_only_the_partnership_administrator_manages_categories(signed_in, cast):
    for user in (cast.alice, cast.bob, cast.dan, cast.erin):
        assert signed_in(user).get("/admin/categories/").status_code == 404


def test_thresholds_are_saved_and_validated(signed_in, cast):
    client = signed_in(cast.pat)
    url = f"/admin/organisations/{cast.riverside.pk}/chronology/"
    page = client.get(url).content.decode()
    assert "Frequent concerns" in page
    data = {"unread_limit_working_days": "2", "frequent_concerns_enabled": "on", "frequent_concerns_count": "4",
            "frequent_concerns_days": "28", "neglect_accumulating_enabled": "on", "neglect_accumulating_count": "4",
            "neglect_accumulating_days": "90", "first_serious_enabled": "", "absence_repeated_enabled": "on",
            "absence_repeated_count": "3", "absence_repeated_days": "60", "siblings_enabled": "on",
            "siblings_count": "2", "siblings_days": "90"}
    assert client.post(url, data).status_code == 302
    settings = Settings.objects.get(organisation=cast.riverside)
    assert settings.unread_limit_working_days == 2
    assert settings.pattern_thresholds == {"frequent_concerns": {"count": 4, "days": 28},
                                           "first_serious": {"enabled": False}}
    bad = client.post(url, {**data, "frequent_concerns_count": "0", "unread_limit_working_days": "x"})
    assert bad.status_code == 400
    assert "Enter a whole number from 1 to 100" in bad.content.decode()
