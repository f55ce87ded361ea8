"""Fixed vocabularies of the field, defined once.

Stored values are stable lower-case keys; ``label`` is what users read. Lists users may edit
(themes, matrix templates) live in ``resources/vocabularies/`` and are copied into each new data file.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

# The longest organisation name a partner may have (the directory, the editor and the import all check it).
MAX_NAME_LENGTH = 200


class LabelledEnum(StrEnum):
    """A string enum whose members carry a human label as well as a stored key."""

    label: str

    # ``label`` has a default only so that a type checker reads Sector("vcs") as what it is: a look-up by value.
    def __new__(cls, value: str, label: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def from_label(cls, label: str) -> Self:
        """The member whose label (or key) is ``label``, ignoring case and surrounding spaces."""
        wanted = label.strip().casefold()
        for member in cls:
            if wanted in (member.label.casefold(), member.value.casefold()):
                return member
        raise ValueError(f"'{label}' is not one of: {', '.join(m.label for m in cls)}")


class Sector(LabelledEnum):
    """Partner sectors (FRAMEWORKS.md; LGA 'Common ground' key partner organisations)."""

    BUSINESS = "business", "Business"
    LOCAL_GOVERNMENT = "local_government", "Local government"
    COMBINED_AUTHORITY = "combined_authority", "Combined authority"
    VCS = "vcs", "Voluntary and community sector"
    SOCIAL_ENTERPRISE = "social_enterprise", "Social enterprise"
    FAITH = "faith", "Faith"
    POLICE = "police", "Police and community safety"
    EDUCATION = "education", "Education"
    HEALTH = "health", "Health and care"
    HOUSING = "housing", "Housing"
    SPORT_CULTURE = "sport_culture", "Sport, arts and culture"
    FUNDER = "funder", "Funder"
    EMPLOYERS = "employers", "Employers' organisation"
    OTHER = "other", "Other"


class RelationshipStage(LabelledEnum):
    """How far the relationship with a partner has come."""

    IDENTIFIED = "identified", "Identified"
    CONTACTED = "contacted", "In conversation"
    ACTIVE = "active", "Active partner"
    LAPSED = "lapsed", "Lapsed"


class MatrixColumn(LabelledEnum):
    """The four columns of the Belong workshop matrix, always in this order."""

    ALREADY_DOING = "already_doing", "Already doing"
    COULD_DO_MORE = "could_do_more", "Could do more"
    SUPPORT_NEEDED = "support_needed", "Support needed"
    BARRIERS = "barriers", "Barriers/concerns"


class OpportunityKind(LabelledEnum):
    """What a partner offers: time of volunteers, or something in kind."""

    VOLUNTEERING = "volunteering", "Volunteering"
    EMPLOYEE_VOLUNTEERING = "employee_volunteering", "Employee volunteering"
    IN_KIND_SPACE = "in_kind_space", "In kind: space"
    IN_KIND_FUNDING = "in_kind_funding", "In kind: funding"
    IN_KIND_STAFF = "in_kind_staff", "In kind: staff exchange"
    MENTORING = "mentoring", "In kind: mentoring"


class OpportunityStatus(LabelledEnum):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    FILLED = "filled", "Filled"
    CLOSED = "closed", "Closed"


class PlacementStatus(LabelledEnum):
    PROPOSED = "proposed", "Proposed"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ActionStatus(LabelledEnum):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class CheckKind(LabelledEnum):
    """DBS checks and training that an opportunity can require and a volunteer can hold (UK practice)."""

    DBS_BASIC = "dbs_basic", "DBS check: basic"
    DBS_STANDARD = "dbs_standard", "DBS check: standard"
    DBS_ENHANCED = "dbs_enhanced", "DBS check: enhanced"
    DBS_ENHANCED_BARRED = "dbs_enhanced_barred", "DBS check: enhanced with barred list"
    TRAINING_SAFEGUARDING = "training_safeguarding", "Training: safeguarding"
    TRAINING_FOOD_HYGIENE = "training_food_hygiene", "Training: food hygiene"
    TRAINING_FIRST_AID = "training_first_aid", "Training: first aid"


# A higher DBS level satisfies a requirement for a lower one.
DBS_LEVELS: tuple[CheckKind, ...] = (
    CheckKind.DBS_BASIC,
    CheckKind.DBS_STANDARD,
    CheckKind.DBS_ENHANCED,
    CheckKind.DBS_ENHANCED_BARRED,
)


class RecognitionKind(LabelledEnum):
    THANKS = "thanks", "Thanks"
    AWARD = "award", "Award"
    CERTIFICATE = "certificate", "Certificate"
    MILESTONE = "milestone", "Milestone"


# Hours at which a volunteer's contribution is flagged for recognition.
HOUR_MILESTONES: tuple[int, ...] = (10, 50, 100, 250)


class Availability(LabelledEnum):
    """When a volunteer can give time, and when an opportunity needs it."""

    WEEKDAY_DAYTIME = "weekday_daytime", "Weekday daytimes"
    WEEKDAY_EVENING = "weekday_evening", "Weekday evenings"
    WEEKEND = "weekend", "Weekends"
