"""The Merkle tree of RFC 6962 §2.1 (Certificate Transparency): leaf and node hashes, tree heads,
inclusion (audit) proofs and consistency proofs, and their verification. Pure: no database.

A tree is read through `Nodes`, which gives the hash of any perfect, aligned subtree (2**level
leaves starting at index * 2**level). Every subtree the RFC's recursion visits is made of at most
log2(n) of them, so a proof needs O(log² n) stored hashes, never the whole tree.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

Hash = bytes
NodeKey = tuple[
    int, int
]  # (level, index): the subtree of leaves [index * 2**level, (index + 1) * 2**level)
Nodes = Callable[[int, int], Hash]

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> Hash:
    """RFC 6962: MTH({d}) = SHA-256(0x00 || d)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: Hash, right: Hash) -> Hash:
    """RFC 6962: an interior node is SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def subtree_root(nodes: Nodes, start: int, end: int) -> Hash:
    """MTH(D[start:end]) for a subtree the RFC's recursion visits (start aligned to its size)."""
    size = end - start
    if size == 0:
        return EMPTY_ROOT
    if size & (size - 1) == 0:
        level = size.bit_length() - 1
        return nodes(level, start >> level)
    k = _split(size)
    return node_hash(subtree_root(nodes, start, start + k), subtree_root(nodes, start + k, end))


def root(nodes: Nodes, size: int) -> Hash:
    return subtree_root(nodes, 0, size)


def inclusion_proof(nodes: Nodes, index: int, size: int) -> list[Hash]:
    """PATH(m, D[n]) of RFC 6962 §2.1.1: the audit path of leaf `index` in a tree of `size`."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size}")
    path: list[Hash] = []
    start, end, m = 0, size, index
    while end - start > 1:
        k = _split(end - start)
        if m < k:
            path.append(subtree_root(nodes, start + k, end))
            end = start + k
        else:
            path.append(subtree_root(nodes, start, start + k))
            start, m = start + k, m - k
    path.reverse()
    return path


def consistency_proof(nodes: Nodes, first: int, second: int) -> list[Hash]:
    """PROOF(m, D[n]) of RFC 6962 §2.1.2: proves the tree of `first` leaves is a prefix of the
    tree of `second` leaves."""
    if not 0 <= first <= second:
        raise ValueError(f"no consistency proof from {first} to {second}")
    if first in (0, second):
        return []
    proof: list[Hash] = []
    start, end, m, whole = 0, second, first, True
    while True:
        if m == end - start:
            if not whole:
                proof.append(subtree_root(nodes, start, end))
            break
        k = _split(end - start)
        if m <= k:
            proof.append(subtree_root(nodes, start + k, end))
            end = start + k
        else:
            proof.append(subtree_root(nodes, start, start + k))
            start, m, whole = start + k, m - k, False
    proof.reverse()
    return proof


def needed_nodes(build: Callable[[Nodes], object]) -> set[NodeKey]:
    """The stored hashes `build` reads: it is run once with placeholders, since which subtrees a
    proof visits depends on the sizes only; the caller then fetches them in one query."""
    keys: set[NodeKey] = set()

    def record(level: int, index: int) -> Hash:
        keys.add((level, index))
        return bytes(32)

    build(record)
    return keys


def root_from_inclusion(index: int, size: int, leaf: Hash, path: Sequence[Hash]) -> Hash | None:
    """The root that leaf `index` with this audit path implies (RFC 9162 §2.1.3.2), or None when
    the path has the wrong length for the position."""
    if not 0 <= index < size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return r if sn == 0 else None


def verify_consistency(
    first: int, second: int, first_root: Hash, second_root: Hash, proof: Sequence[Hash]
) -> bool:
    """RFC 9162 §2.1.4.2: does the tree of `second_root` extend the tree of `first_root`?"""
    if not 0 < first < second:
        return _trivially_consistent(first, second, first_root, second_root, proof)
    path = list(proof)
    if first & (first - 1) == 0:  # a power of two: the first tree is itself a node of the second
        path.insert(0, first_root)
    if not path:
        return False
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == first_root and sr == second_root


def _trivially_consistent(
    first: int, second: int, first_root: Hash, second_root: Hash, proof: Sequence[Hash]
) -> bool:
    """Equal trees, or the empty one: no proof is needed, and none may be given."""
    if proof or not 0 <= first <= second:
        return False
    return first == 0 or first_root == second_root


@dataclass
class Frontier:
    """The right edge of a growing tree: the root of each perfect subtree not yet paired, by level.
    Appending a leaf returns the nodes it completes, so a log stores each node once."""

    size: int = 0
    edge: dict[int, Hash] = field(default_factory=dict)

    def append(self, leaf: Hash) -> list[tuple[int, int, Hash]]:
        """Add a leaf; returns every (level, index, hash) node it completes, the leaf first."""
        made = [(0, self.size, leaf)]
        level, index, current = 0, self.size, leaf
        while index & 1:
            current = node_hash(self.edge.pop(level), current)
            level, index = level + 1, index >> 1
            made.append((level, index, current))
        self.edge[level] = current
        self.size += 1
        return made

    def root(self) -> Hash:
        """MTH of every leaf appended so far."""
        if not self.size:
            return EMPTY_ROOT
        levels = sorted(self.edge)
        current = self.edge[levels[0]]
        for level in levels[1:]:
            current = node_hash(self.edge[level], current)
        return current

    @staticmethod
    def edge_keys(size: int) -> list[NodeKey]:
        """The stored nodes a frontier of a tree of `size` leaves holds (one per bit of size)."""
        keys, start = [], 0
        for level in range(size.bit_length() - 1, -1, -1):
            if size >> level & 1:
                keys.append((level, start >> level))
                start += 1 << level
        return keys


def tree_of(leaves: Iterable[Hash]) -> dict[NodeKey, Hash]:
    """Every node of a tree built from these leaf hashes (for tests and small trees)."""
    frontier, nodes = Frontier(), {}
    for leaf in leaves:
        for level, index, value in frontier.append(leaf):
            nodes[level, index] = value
    return nodes
