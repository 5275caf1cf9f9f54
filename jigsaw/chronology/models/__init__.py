from jigsaw.chronology.models.audits import FileAudit, FileAuditItem
from jigsaw.chronology.models.entries import (
    Attachment,
    BodyMapMark,
    BodySide,
    Category,
    Entry,
    EntryKind,
    EntryTally,
    Involvement,
    InvolvementPart,
)
from jigsaw.chronology.models.workflow import (
    ActionItem,
    Alert,
    AlertStatus,
    ApiIdempotencyKey,
    Concern,
    ConcernDraft,
    ConcernStatus,
    KeyEvent,
    Settings,
    TriageOutcome,
)

__all__ = [
    "ActionItem", "Alert", "AlertStatus", "ApiIdempotencyKey", "Attachment", "BodyMapMark", "BodySide",
    "Category", "Concern", "ConcernDraft", "ConcernStatus", "Entry", "EntryKind", "EntryTally", "FileAudit",
    "FileAuditItem", "Involvement", "InvolvementPart", "KeyEvent", "Settings", "TriageOutcome",
]
