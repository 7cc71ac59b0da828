"""Coded values shared by several records.

Every code is a stable, language-independent English string; the label is translated. Reports and
imports key on the code, never on the label.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tier(models.TextChoices):
    """The level of a body: of a 人大 / 政协 seat, an honour, a training organiser, a venue."""

    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")
    COUNTY = "county", _("County")


class Level(models.TextChoices):
    """How high an outcome reached: who adopted a piece of work or endorsed it (批示).

    Declared from the lowest to the highest; ``Level.rank(code)`` gives the order so that "the highest
    level a record reached" is a comparison of ranks, whatever the language.
    """

    COUNTY = "county", _("County level")
    CITY = "city", _("City / prefecture level")
    CITY_LEADER = "city_leader", _("Principal city leader")
    PROVINCIAL = "provincial", _("Provincial level (CPPCC, United Front Work Dept., departments)")
    PROVINCIAL_LEADER = "provincial_leader", _("Provincial leader (Party secretary, governor)")
    VICE_MINISTERIAL = "vice_ministerial", _("Vice-ministerial leader")
    PARTY_CENTRAL = "party_central", _("CAPD Central Committee")
    MINISTERIAL = "ministerial", _("Ministerial leader / national ministry")
    CENTRAL_DEPARTMENT = "central_department", _("Central departments")
    NATIONAL_CPPCC = "national_cppcc", _("National CPPCC / NPC")
    CENTRAL_OFFICE = "central_office", _("General Office of the CPC Central Committee / State Council")
    STATE_LEADER = "state_leader", _("State leader")

    @classmethod
    def rank(cls, code: str) -> int:
        return list(cls.values).index(code) + 1


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Education(models.TextChoices):
    DOCTORATE = "doctorate", _("Doctoral graduate")
    MASTER = "master", _("Master's graduate")
    BACHELOR = "bachelor", _("University undergraduate")
    COLLEGE = "college", _("Junior college")
    SECONDARY = "secondary", _("Secondary school or below")


class Degree(models.TextChoices):
    DOCTOR = "doctor", _("Doctor")
    MASTER = "master", _("Master")
    BACHELOR = "bachelor", _("Bachelor")
    NONE = "none", _("No degree")


class TitleLevel(models.TextChoices):
    """Professional title level (职称)."""

    SENIOR = "senior", _("Senior")
    VICE_SENIOR = "vice_senior", _("Associate senior")
    INTERMEDIATE = "intermediate", _("Intermediate")
    JUNIOR = "junior", _("Junior")
    NONE = "none", _("None")


class Sector(models.TextChoices):
    """界别: the field a member or branch belongs to."""

    EDUCATION = "education", _("Education")
    CULTURE = "culture", _("Culture")
    PUBLISHING = "publishing", _("Publishing")
    SCIENCE = "science", _("Science and technology")
    MEDICINE = "medicine", _("Medicine and health")
    ECONOMY = "economy", _("Economy")
    LAW = "law", _("Law")
    OTHER = "other", _("Other")
