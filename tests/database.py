"""What tests that really commit need to know about the database."""

# Triggers that refuse TRUNCATE outside tests: a transactional test's flush must be let through them.
UNTRUNCATABLE = (
    "audit.AccessEvent:no_truncate",
    "chronology.Entry:entries_never_truncated",
    "sharing.Decision:decisions_never_truncated",
    "sharing.Disclosure:disclosures_never_truncated",
    "sharing.Snapshot:snapshots_never_truncated",
)
