"""The fee rules' page: each rule in words with the years it governs; add a rule from a year,
change a rule's rate, remove a rule. What would change a decided or published year's fees is
refused naming the year; bad input saves nothing and is answered at the field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from samverkan.audit.models import AuditEntry
from samverkan.members.fees import rule_for
from samverkan.members.models import FeeRule, Year
from samverkan.members.services import YearLocked
from tests.web.conftest import LEAD_A, READER, SECRETARIAT, Place, read_as


def url(name: str, *args: Any) -> str:
    return reverse(f"web:{name}", args=["sodertorn", 2020, *args])


def rule_2018(place: Place) -> FeeRule:
    return FeeRule.objects.get(cooperation=place.coop, from_year=2018)


def test_the_list_states_each_rule_in_words_and_the_years_it_governs(
    place: Place, client_for: Any
) -> None:
    FeeRule.objects.create(cooperation=place.coop, from_year=2021, rate=Decimal("4.50"))
    page = client_for(READER).get(url("fee-rules")).content.decode()
    assert "4\xa0kr per invånare från 2018, efter invånarantalet den 31 december året före" in page
    assert "2018–2020" in page
    assert "från 2021 och tills vidare" in page
    assert '2019 <span class="muted">(beslutad)</span>' in page
    assert "Lägg till en avgiftsregel" not in page


def test_the_secretariat_adds_a_rule_from_an_open_year_and_that_year_follows_it(
    place: Place, client_for: Any
) -> None:
    response = client_for(SECRETARIAT).post(
        url("fee-rule-new"), {"from_year": 2020, "rate": "4,50", "basis": "previous_year_end"}
    )
    assert response.status_code == 303
    rule = rule_for(place.year)
    assert rule is not None and (rule.from_year, rule.rate) == (2020, Decimal("4.50"))
    assert AuditEntry.objects.filter(action="members.fee_rule.create").count() == 1


def test_a_rule_from_a_decided_year_is_refused_naming_the_year(
    place: Place, client_for: Any
) -> None:
    response = client_for(SECRETARIAT).post(
        url("fee-rule-new"), {"from_year": 2019, "rate": "5", "basis": "previous_year_end"}
    )
    assert response.status_code == 409
    assert "Året 2019 är beslutat" in response.content.decode()
    assert not FeeRule.objects.filter(cooperation=place.coop, from_year=2019).exists()


def test_changing_the_rate_of_a_rule_a_published_year_follows_is_refused_naming_the_year(
    place: Place, client_for: Any
) -> None:
    rule = rule_2018(place)
    response = client_for(SECRETARIAT).post(
        url("fee-rule-edit", rule.pk),
        {"rate": "5", "basis": "previous_year_end", **read_as(rule, place.year)},
    )
    assert response.status_code == 409
    assert "Året 2018 är publicerat" in response.content.decode()
    rule.refresh_from_db()
    assert rule.rate == Decimal("4.00")


def test_the_rate_of_a_rule_only_open_years_follow_is_changed_and_logged(
    place: Place, client_for: Any
) -> None:
    rule = FeeRule.objects.create(cooperation=place.coop, from_year=2020, rate=Decimal(4))
    response = client_for(SECRETARIAT).post(
        url("fee-rule-edit", rule.pk),
        {"rate": "4,25", "basis": "previous_year_end", **read_as(rule, place.year)},
    )
    assert response.status_code == 303
    rule.refresh_from_db()
    assert rule.rate == Decimal("4.25")
    entry = AuditEntry.objects.get(action="members.fee_rule.update")
    assert entry.changes["rate"] == {"before": "4.00", "after": "4.25"}


def test_a_negative_rate_is_not_saved_and_the_message_stands_at_the_rate(
    place: Place, client_for: Any
) -> None:
    response = client_for(SECRETARIAT).post(
        url("fee-rule-new"), {"from_year": 2021, "rate": "-1", "basis": "previous_year_end"}
    )
    assert response.status_code == 400
    assert 'id="id_rate_error"' in response.content.decode()
    assert not FeeRule.objects.filter(cooperation=place.coop, from_year=2021).exists()


def test_a_second_rule_from_the_same_year_is_refused_at_the_year(
    place: Place, client_for: Any
) -> None:
    FeeRule.objects.create(cooperation=place.coop, from_year=2021, rate=Decimal(4))
    response = client_for(SECRETARIAT).post(
        url("fee-rule-new"), {"from_year": 2021, "rate": "5", "basis": "previous_year_end"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_from_year_error"' in page
    assert "Det finns redan en avgiftsregel från 2021." in page
    assert FeeRule.objects.filter(cooperation=place.coop, from_year=2021).count() == 1


def test_the_model_refuses_a_negative_rate_on_every_path(place: Place) -> None:
    rule = FeeRule(cooperation=place.coop, from_year=2030, rate=Decimal(-1))
    with pytest.raises(ValidationError) as caught:
        rule.full_clean()
    assert caught.value.message_dict["rate"] == ["Avgiften per invånare kan inte vara negativ."]


def test_the_year_lock_refuses_a_fee_rule_change_that_reaches_a_decided_year_on_any_path(
    place: Place,
) -> None:
    """FeeRule is ReadByYears: a save from the shell or the admin meets the same gate."""
    rule = rule_2018(place)
    rule.rate = Decimal(5)
    with pytest.raises(YearLocked) as caught, transaction.atomic():
        rule.save()
    assert caught.value.year == Year.objects.get(cooperation=place.coop, year=2018)
    with pytest.raises(YearLocked), transaction.atomic():
        FeeRule.objects.create(cooperation=place.coop, from_year=2019, rate=Decimal(5))


def test_a_rule_only_open_years_follow_is_deleted_and_one_a_decided_year_follows_is_not(
    place: Place, client_for: Any
) -> None:
    client = client_for(SECRETARIAT)
    later = FeeRule.objects.create(cooperation=place.coop, from_year=2021, rate=Decimal(5))
    assert (
        client.post(url("fee-rule-delete", later.pk), read_as(later, place.year)).status_code == 303
    )
    assert not FeeRule.objects.filter(pk=later.pk).exists()
    response = client.post(
        url("fee-rule-delete", rule_2018(place).pk), read_as(rule_2018(place), place.year)
    )
    assert response.status_code == 409
    assert "Året 2018" in response.content.decode()
    assert FeeRule.objects.filter(pk=rule_2018(place).pk).exists()


def test_a_network_lead_is_told_that_the_secretariat_changes_the_fee_rules(
    place: Place, client_for: Any
) -> None:
    response = client_for(LEAD_A).get(url("fee-rule-new"))
    assert response.status_code == 403
    assert "Avgiftsreglerna ändras av kansliet." in response.content.decode()
