"""Models that are several runs averaged (:func:`nncore.merge`), and how to tune them.

The model file says how many runs it holds (``metadata["ensemble"]["members"]``), so
fine-tuning can tune each run on its own and average them again: tuning the merged
network as a whole would train the zeros between its members too (a network as many
times wider in every hidden layer, many times slower) and join them for good.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from nncore import Network, merge, split

KEY = "ensemble"


def mark_members(network: Network, members: int) -> Network:
    """``network`` (a merge of ``members`` runs), marked so that it can be split again."""
    network.metadata[KEY] = {"members": members}
    return network


def members_of(network: Network) -> int:
    """How many averaged runs ``network`` holds by its own account (1 when it says none)."""
    marked = network.metadata.get(KEY)
    members = marked.get("members") if isinstance(marked, dict) else None
    return members if isinstance(members, int) and members >= 1 else 1


def tuned_per_member(network: Network, tune: Callable[[Network], Network]) -> Network:
    """``tune`` applied to each run ``network`` averages, the results averaged again.

    A network that is not what its metadata says (a hand-edited file, a merged network
    trained as a whole) is tuned whole: slower, never wrong.
    """
    members = members_of(network)
    try:
        runs = split(network, members) if members > 1 else None
    except ValueError:
        runs = None
    if runs is None:
        return tune(network)
    tuned = merge([tune(run) for run in runs])
    tuned.metadata = copy.deepcopy(network.metadata)
    return tuned
