"""Data entry for every record, split by topic. Importing a module registers its admins."""

from .activities import ActivityAdmin, AttendanceAdmin, HonorAdmin, TrainingEventAdmin
from .members import MemberAdmin, MemberStatusChangeAdmin, PositionAdmin
from .organisation import BranchAdmin, CommitteeAdmin
from .proposals import AuthorshipAdmin, OutcomeAdmin, ProposalAdmin, ResearchTopicAdmin
from .users import ExportLogAdmin, UserAdmin

__all__ = [
    "ActivityAdmin",
    "AttendanceAdmin",
    "AuthorshipAdmin",
    "BranchAdmin",
    "CommitteeAdmin",
    "ExportLogAdmin",
    "HonorAdmin",
    "MemberAdmin",
    "MemberStatusChangeAdmin",
    "OutcomeAdmin",
    "PositionAdmin",
    "ProposalAdmin",
    "ResearchTopicAdmin",
    "TrainingEventAdmin",
    "UserAdmin",
]
