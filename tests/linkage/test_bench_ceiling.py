"""The bench's ceiling: the best split of one person's records that keeps twin-like records apart."""

import itertools
import random

from bench.linkage import largest_groups_apart


def pairs_inside(groups) -> int:
    return sum(len(group) * (len(group) - 1) // 2 for group in groups)


def partitions(items):
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for smaller in partitions(rest):
        for index in range(len(smaller)):
            yield [*smaller[:index], [first, *smaller[index]], *smaller[index + 1:]]
        yield [[first], *smaller]


def allowed(groups, conflicts) -> bool:
    return all(b not in conflicts.get(a, ()) for group in groups for a, b in itertools.combinations(group, 2))


def conflicts_of(edges) -> dict:
    conflicts: dict = {}
    for a, b in edges:
        conflicts.setdefault(a, set()).add(b)
        conflicts.setdefault(b, set()).add(a)
    return conflicts


def test_records_in_no_conflict_stay_together():
    assert largest_groups_apart(["a", "b", "c"], {}) == [["a", "b", "c"]]


def test_twin_like_records_are_split_and_the_rest_join_the_larger_side():
    conflicts = conflicts_of([("george", "georgina")])
    groups = largest_groups_apart(["george", "georgina", "g1", "g2"], conflicts)
    assert sorted(map(sorted, groups)) == [["g1", "g2", "george"], ["georgina"]]


def test_it_finds_the_best_split_where_placing_the_most_conflicted_first_would_not():
    """Placing the most conflicted records first, each into the largest group that takes it, gives
    {a}, {c, d}, {b}, then e joins a: two pairs. The best split keeps a and c alone and b, d, e together."""
    conflicts = conflicts_of([("a", "b"), ("a", "c"), ("a", "d"), ("b", "c"), ("c", "e")])
    groups = largest_groups_apart(list("abcde"), conflicts)
    assert allowed(groups, conflicts)
    assert sorted(map(sorted, groups)) == [["a"], ["b", "d", "e"], ["c"]]


def test_it_matches_every_possible_split_on_small_random_people():
    rng = random.Random(5)
    for _ in range(200):
        records = [f"r{index}" for index in range(rng.randint(1, 7))]
        edges = [pair for pair in itertools.combinations(records, 2) if rng.random() < 0.3]
        conflicts = conflicts_of(edges)
        groups = largest_groups_apart(records, conflicts)
        best = max(pairs_inside(split) for split in partitions(records) if allowed(split, conflicts))
        assert allowed(groups, conflicts)
        assert sorted(itertools.chain.from_iterable(groups)) == sorted(records)
        assert pairs_inside(groups) == best
