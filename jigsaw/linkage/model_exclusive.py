"""One-to-one linkage: when each file holds a person at most once, a pair's probability also depends on
the other candidates each record has.

Fellegi–Sunter scores every pair on its own: the chance that two random records match (lambda) is the
same for every pair, whatever else either record resembles. Between two files that each hold a person
at most once (FEBRL4's two extracts; two registers de-duplicated by their owners) more is known. Record
a of file A matches at most one record of file B, and a known share `pi` of A's records have a match
in B. So, from a's side,

    P(a = b) = t(a, b) / (sum of t(a, b') over b's file + 1 - pi),     t(a, b) = BF(a, b) * pi / |B|

where BF is the pair's Bayes factor (its match weight less the prior). A pair whose record has no
other plausible candidate, in a file where nearly every record has a match, is then far more likely
than its Bayes factor alone says; a record with two strong candidates splits its probability between
them. `pi` for each ordered pair of files is estimated by expectation maximisation over the scored pairs,
shrunk towards a half for small files (a Beta(1, 1) prior), so it never reaches one.

A pair's probability is the lower of the two sides' (both records must agree), and never below its
Fellegi–Sunter probability: a file that breaks the one-record rule loses nothing it would have had.
This is the bipartite matching model of Sadinle (2017), with each side's assignment taken on its own.
"""

import numpy as np
import pandas as pd

ROUNDS = 100


def one_to_one_probability(pairs: pd.DataFrame, organisations: pd.Series, prior: float) -> np.ndarray:
    """The one-to-one probability of every pair in `pairs` (a `predict` frame with row_l/_r, organisation_l/_r,
    match_weight and model_probability); `organisations` is every record's organisation, `prior` the
    model's probability that two random records match."""
    fellegi_sunter = pairs["model_probability"].to_numpy(dtype=float)
    across = (pairs["organisation_l"] != pairs["organisation_r"]).fillna(False).to_numpy(dtype=bool)
    across &= pairs["organisation_l"].notna().to_numpy() & pairs["organisation_r"].notna().to_numpy()
    if not across.any():
        return fellegi_sunter
    sizes = organisations.value_counts()
    log_bayes = pairs["match_weight"].to_numpy(dtype=float) - np.log2(prior / (1 - prior))
    bayes = np.exp2(np.clip(log_bayes, -200, 200))[across]
    left = pairs.loc[across, ["row_l", "organisation_l", "organisation_r"]].to_numpy()
    right = pairs.loc[across, ["row_r", "organisation_r", "organisation_l"]].to_numpy()
    forward = _one_side(left[:, 0], left[:, 1], left[:, 2], bayes, sizes)
    backward = _one_side(right[:, 0], right[:, 1], right[:, 2], bayes, sizes)
    result = fellegi_sunter.copy()
    result[across] = np.maximum(fellegi_sunter[across], np.minimum(forward, backward))
    return result


def _one_side(record, source, target, bayes: np.ndarray, sizes: pd.Series) -> np.ndarray:
    """P(record = candidate) from the record's side: its candidates in each target file compete, with
    the possibility that its match is not in that file at all."""
    group = pd.MultiIndex.from_arrays([record, target]).factorize()[0]
    file_pair_index, file_pairs = pd.MultiIndex.from_arrays([source, target]).factorize()
    source_size = sizes.reindex(file_pairs.get_level_values(0)).to_numpy(dtype=float)
    target_size = sizes.reindex(file_pairs.get_level_values(1)).to_numpy(dtype=float)
    # each group (record, target file) belongs to one pair of files
    group_file = np.zeros(group.max() + 1, dtype=np.int64)
    group_file[group] = file_pair_index
    share = np.full(len(file_pairs), 0.5)
    for _ in range(ROUNDS):
        weight = bayes * (share / target_size)[file_pair_index]
        total = np.bincount(group, weights=weight)
        matched = total / (total + 1 - share[group_file])
        expected = np.bincount(group_file, weights=matched, minlength=len(file_pairs))
        updated = (expected + 1) / (source_size + 2)
        settled = np.allclose(updated, share, rtol=1e-6, atol=1e-9)
        share = updated
        if settled:
            break
    weight = bayes * (share / target_size)[file_pair_index]
    total = np.bincount(group, weights=weight)
    return weight / (total[group] + 1 - share[group_file][group])
