"""Fixed vocabularies of the field, defined once.

Stored values are stable lower-case keys; ``label`` is what users read, in the interface's language (the English
labels are marked with ``N_`` for the catalogue and translated each time they are read). Lists users may edit
(themes, matrix templates) live in ``resources/vocabularies/`` and are copied into each new data file.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from cohesion_desktop.i18n import N_, _

# The longest organisation name a partner may have (the directory, the editor and the import all check it).
MAX_NAME_LENGTH = 200


class LabelledEnum(StrEnum):
    """A string enum whose members carry a human label as well as a stored key."""

    english_label: str

    # ``label`` has a default only so that a type checker reads Sector("vcs") as what it is: a look-up by value.
    def __new__(cls, value: str, label: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.english_label = label
        return member

    @property
    def label(self) -> str:
        """What users read, in the current language."""
        return _(self.english_label)

    @classmethod
    def from_label(cls, label: str) -> Self:
        """The member whose label (in English or the current language) or key is ``label``, ignoring case and
        surrounding spaces: a spreadsheet typed in Welsh or English reads alike."""
        wanted = label.strip().casefold()
        for member in cls:
            if wanted in (member.label.casefold(), member.english_label.casefold(), member.value.casefold()):
                return member
        raise ValueError(f"'{label}' is not one of: {', '.join(m.label for m in cls)}")


class Sector(LabelledEnum):
    """Partner sectors (FRAMEWORKS.md; LGA 'Common ground' key partner organisations)."""

    BUSINESS = "business", N_("Business")
    LOCAL_GOVERNMENT = "local_government", N_("Local government")
    COMBINED_AUTHORITY = "combined_authority", N_("Combined authority")
    VCS = "vcs", N_("Voluntary and community sector")
    SOCIAL_ENTERPRISE = "social_enterprise", N_("Social enterprise")
    FAITH = "faith", N_("Faith")
    POLICE = "police", N_("Police and community safety")
    EDUCATION = "education", N_("Education")
    HEALTH = "health", N_("Health and care")
    HOUSING = "housing", N_("Housing")
    SPORT_CULTURE = "sport_culture", N_("Sport, arts and culture")
    FUNDER = "funder", N_("Funder")
    EMPLOYERS = "employers", N_("Employers' organisation")
    OTHER = "other", N_("Other")


class RelationshipStage(LabelledEnum):
    """How far the relationship with a partner has come."""

    IDENTIFIED = "identified", N_("Identified")
    CONTACTED = "contacted", N_("In conversation")
    ACTIVE = "active", N_("Active partner")
    LAPSED = "lapsed", N_("Lapsed")


class MatrixColumn(LabelledEnum):
    """The four columns of the Belong workshop matrix, always in this order."""

    ALREADY_DOING = "already_doing", N_("Already doing")
    COULD_DO_MORE = "could_do_more", N_("Could do more")
    SUPPORT_NEEDED = "support_needed", N_("Support needed")
    BARRIERS = "barriers", N_("Barriers/concerns")


class OpportunityKind(LabelledEnum):
    """What a partner offers: time of volunteers, or something in kind."""

    VOLUNTEERING = "volunteering", N_("Volunteering")
    EMPLOYEE_VOLUNTEERING = "employee_volunteering", N_("Employee volunteering")
    IN_KIND_SPACE = "in_kind_space", N_("In kind: space")
    IN_KIND_FUNDING = "in_kind_funding", N_("In kind: funding")
    IN_KIND_STAFF = "in_kind_staff", N_("In kind: staff exchange")
    MENTORING = "mentoring", N_("In kind: mentoring")


class OpportunityStatus(LabelledEnum):
    DRAFT = "draft", N_("Draft")
    OPEN = "open", N_("Open")
    FILLED = "filled", N_("Filled")
    CLOSED = "closed", N_("Closed")


class PlacementStatus(LabelledEnum):
    PROPOSED = "proposed", N_("Proposed")
    ACTIVE = "active", N_("Active")
    COMPLETED = "completed", N_("Completed")
    WITHDRAWN = "withdrawn", N_("Withdrawn")


class ActionStatus(LabelledEnum):
    OPEN = "open", N_("Open")
    IN_PROGRESS = "in_progress", N_("In progress")
    DONE = "done", N_("Done")
    CANCELLED = "cancelled", N_("Cancelled")


class CheckKind(LabelledEnum):
    """DBS checks and training that an opportunity can require and a volunteer can hold (UK practice)."""

    DBS_BASIC = "dbs_basic", N_("DBS check: basic")
    DBS_STANDARD = "dbs_standard", N_("DBS check: standard")
    DBS_ENHANCED = "dbs_enhanced", N_("DBS check: enhanced")
    DBS_ENHANCED_BARRED = "dbs_enhanced_barred", N_("DBS check: enhanced with barred list")
    TRAINING_SAFEGUARDING = "training_safeguarding", N_("Training: safeguarding")
    TRAINING_FOOD_HYGIENE = "training_food_hygiene", N_("Training: food hygiene")
    TRAINING_FIRST_AID = "training_first_aid", N_("Training: first aid")


# A higher DBS level satisfies a requirement for a lower one.
DBS_LEVELS: tuple[CheckKind, ...] = (
    CheckKind.DBS_BASIC,
    CheckKind.DBS_STANDARD,
    CheckKind.DBS_ENHANCED,
    CheckKind.DBS_ENHANCED_BARRED,
)


class RecognitionKind(LabelledEnum):
    THANKS = "thanks", N_("Thanks")
    AWARD = "award", N_("Award")
    CERTIFICATE = "certificate", N_("Certificate")
    MILESTONE = "milestone", N_("Milestone")


# Hours at which a volunteer's contribution is flagged for recognition.
HOUR_MILESTONES: tuple[int, ...] = (10, 50, 100, 250)
# Hours are kept to two decimals, so a total this little short of a milestone reaches it: the shortfall is
# floating-point addition's (1.8 + 3.3 + 3.3 + 1.6 adds up to 9.999999999999998, shown as 10 hours).
MILESTONE_SLACK = 0.005


class Availability(LabelledEnum):
    """When a volunteer can give time, and when an opportunity needs it."""

    WEEKDAY_DAYTIME = "weekday_daytime", N_("Weekday daytimes")
    WEEKDAY_EVENING = "weekday_evening", N_("Weekday evenings")
    WEEKEND = "weekend", N_("Weekends")
