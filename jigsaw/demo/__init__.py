"""The demo partnership: Westbridge, a fictional English unitary authority.

`jigsaw demo` loads it (deterministic and idempotent); `jigsaw demo sign-ins` lists the
accounts and `jigsaw demo code EMAIL` prints a current TOTP code for one of them.

What it holds:

- Westbridge Council (GSS code E06000099, DfE number 999, telephone numbers from Ofcom's
  drama range 01632 960xxx) and fifteen organisations: the safeguarding partnership,
  children's social care, the MASH, six schools (Riverside School and Hillside School among
  them), a nursery, an NHS trust and its emergency department, a GP practice, the police
  and the early-help service (`partnership.py`).
- About forty people who use Jigsaw, covering every role, each with the password
  `DEMO_PASSWORD`, a verified e-mail address, a TOTP authenticator whose secret is derived
  from the e-mail address, and recovery codes (`cast.py`, `mfa.py`). The fixed cast of the
  tests is there: alice@riverside.example.org (DSL, Riverside School),
  bob@riverside.example.org (staff, Riverside), carol@hillside.example.org (DSL, Hillside
  School), dan@westbridge.example.org (social worker) and erin@westbridge.example.org (DPO
  at Riverside School and at children's social care).
- About 2,000 children in families and households, each held by several organisations with
  the small differences real records have: nicknames, typos, a transposed day and month,
  an old address, a missing NHS number (always with a reason), twins, and a handful of
  protected identities (`children.py` makes the people, `records.py` decides who holds
  what, `people.py` writes them). NHS numbers come from the 999 test range, UPNs carry
  LA number 999, and postcodes use the fictional WB area.

The known Riverside child is **Maya Thompson** (born 14 March 2017, Year 5 at Riverside
School; `KNOWN_RIVERSIDE_CHILD`, and `jigsaw.demo.people.known_riverside_child()` returns
Riverside's record of her). Her household is her mother Sarah Thompson, her mother's
partner Craig Wilson, her brother Leo (Westbridge Academy) and her sister Isla (Little
Acorns Nursery); her father Mark Thompson lives elsewhere. Riverside, Westbridge Academy,
the nursery, the GP practice, children's social care and the police all hold the family;
the NHS trust holds Isla (health visiting) and her mother.

About 430 children at the schools, the nursery, children's social care and early help have
chronologies: some 2,300 entries over the two years before `REFERENCE_DATE`, written through
the chronology actions so that tallies, pattern alerts, decisions, follow-up actions and the
ledger are real (`chronology.py`; the practitioners' texts, some vague on purpose so that the
recording prompts show, are in `stories.py`). Children to look at: Maya at Riverside (hunger
and lateness from May 2025, early help, attendance dips, bruising, a disclosure on 22 October
2026 and a referral, with open alerts; children's social care holds the other side of it);
Emilia and Mia Scott at Riverside (concerns about siblings in one household); Zoë Mills at
Hillside (neglect accumulating); Evie Gray at Westbridge Academy (repeated missing episodes
and criminal exploitation); Thea Hassan at Riverside (a concern moved to her from her twin
Nadia). Signed in as alice@riverside.example.org, the inbox holds concerns logged in the last
week before the reference date, still unread, one of them overdue.

Sharing (`sharing.py`), written through the sharing actions at fixed times in the weeks
before the reference date, so receipts, chases, snapshots and the ledger are real:

- Three information sharing agreements made by the partnership administrator: the
  multi-agency agreement (every partner; review due March 2027), Operation Encompass
  notifications (police, schools and the nursery; review due 15 December 2026) and missing
  children (review overdue since 30 June 2026).
- Maya: on 22 October Alice shared the bruising, what a parent told her the day before,
  Maya's words and the referral with children's social care under the multi-agency
  agreement (public task, the paragraph 18 condition, consent not sought because of the
  risk, her mother not told and why), after asking Erin for advice. The parent is a
  protected identity, so her name is redacted from what was sent. Dan opened and
  acknowledged it; Erin has reviewed the decision. Children's social care sent Riverside
  what the strategy discussion agreed on 30 October, still unread.
- Disclosures in every state: Westbridge Academy's emergency share with the police about
  Evie Gray, outside any agreement, opened but not acknowledged; Hillside's record of
  Zoë Mills's neglect sent to early help, unread and chased; Brookfield's share with
  children's social care over a parent's objection, unread and overdue; Oakfield House
  School's share with a swimming club's welfare officer by a secure link; Riverside's share
  about Emilia Scott with early help, acknowledged, then an update after a correction.
- Requests: Dan's standard request to Riverside (open, due 6 November); the police's urgent
  request to Westbridge Academy (overdue); Dan's request to Hillside that Carol declined with
  reasons, then new information from Dan waiting for her to reconsider; and the police's
  request to Riverside, answered with a share and acknowledged.
- Advice: Frank's question to Erin about sharing with the school nurse, not yet answered.
  Decisions for Erin to review at Riverside and at children's social care (withheld, shared
  without consent), one already reviewed.
- Don't assume: the leads have recorded why they did not share for their older referrals
  and alerts; Alice is still prompted about one referral made by telephone only (Amber Hill)
  and one new alert, and each other school about an alert on a concern not yet decided.

Everything is generated from fixed seeds and fixed dates (ages are counted on
`REFERENCE_DATE`), so two loads into empty databases hold the same people.
"""

import datetime
import hashlib
import random

# Published on purpose: it only ever opens the demo's fictional accounts.
DEMO_PASSWORD = "Westbridge-demo-2026"  # nosec B105
ACTOR_LABEL = "jigsaw demo"

GSS_CODE = "E06000099"
DFE_NUMBER = "999"
REFERENCE_DATE = datetime.date(2026, 11, 1)
# When the demo organisations, accounts and memberships were "set up".
SET_UP_AT = datetime.datetime(2026, 9, 1, 8, 0, tzinfo=datetime.UTC)

# (given name, family name, date of birth) of a Riverside School pupil tests can rely on.
KNOWN_RIVERSIDE_CHILD = ("Maya", "Thompson", datetime.date(2017, 3, 14))


def seeded(label: str) -> random.Random:
    """A repeatable random stream for one part of the demo, independent of the others."""
    seed = int.from_bytes(hashlib.sha256(f"jigsaw-demo/{label}".encode()).digest()[:8], "big")
    # Repeatable demo data, never a secret, so a seeded pseudo-random generator is right.
    return random.Random(seed)  # noqa: S311  # nosec B311
