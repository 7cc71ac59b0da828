"""The records office staff enter. Split by topic; every model is re-exported here."""

from .activities import Activity, Attendance, Honor, TrainingEvent
from .audit import ExportLog
from .choices import Degree, Education, Gender, Level, Sector, Tier, TitleLevel
from .generations import CommitteeGeneration
from .members import Member, MemberStatusChange, Position
from .organisation import Branch, Committee
from .proposals import Authorship, Outcome, Proposal, ResearchTopic
from .users import User
from .versioning import RecordsVersion, records_version

__all__ = [
    "Activity",
    "Attendance",
    "Authorship",
    "Branch",
    "Committee",
    "CommitteeGeneration",
    "Degree",
    "Education",
    "ExportLog",
    "Gender",
    "Honor",
    "Level",
    "Member",
    "MemberStatusChange",
    "Outcome",
    "Position",
    "Proposal",
    "RecordsVersion",
    "ResearchTopic",
    "Sector",
    "Tier",
    "TitleLevel",
    "TrainingEvent",
    "User",
    "records_version",
]
