"""The Merkle tree against RFC 6962's published test vectors and its own verification rules."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lotrinh.ledger import merkle

# The eight leaves and the roots of each prefix used by the Certificate Transparency reference
# implementations (certificate-transparency-go, trillian) to test RFC 6962 trees.
LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    bytes(range(0x50, 0x58)),
    bytes(range(0x60, 0x70)),
]
ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
INCLUSION_0_OF_8 = [
    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
]
CONSISTENCY_6_TO_8 = [
    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
]
CONSISTENCY_2_TO_5 = [
    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
]


def _nodes(count: int) -> merkle.Nodes:
    stored = merkle.tree_of(merkle.leaf_hash(leaf) for leaf in LEAVES[:count])
    return lambda level, index: stored[level, index]


def test_roots_of_every_prefix_match_the_rfc_6962_vectors():
    for size in range(1, 9):
        assert merkle.root(_nodes(size), size).hex() == ROOTS[size - 1]


def test_empty_tree_root_is_the_hash_of_nothing():
    assert merkle.root(_nodes(0), 0).hex() == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )


def test_growing_frontier_gives_the_same_roots():
    frontier = merkle.Frontier()
    for size, leaf in enumerate(LEAVES, start=1):
        frontier.append(merkle.leaf_hash(leaf))
        assert frontier.root().hex() == ROOTS[size - 1]


def test_inclusion_proof_of_the_first_leaf_matches_the_vector():
    path = merkle.inclusion_proof(_nodes(8), 0, 8)
    assert [p.hex() for p in path] == INCLUSION_0_OF_8
    leaf = merkle.leaf_hash(LEAVES[0])
    assert merkle.root_from_inclusion(0, 8, leaf, path) == bytes.fromhex(ROOTS[7])


def test_consistency_proofs_match_the_vectors():
    nodes = _nodes(8)
    assert [p.hex() for p in merkle.consistency_proof(nodes, 6, 8)] == CONSISTENCY_6_TO_8
    assert [p.hex() for p in merkle.consistency_proof(nodes, 2, 5)] == CONSISTENCY_2_TO_5
    assert [p.hex() for p in merkle.consistency_proof(nodes, 1, 8)] == INCLUSION_0_OF_8


def _leaves(count: int) -> list[bytes]:
    return [merkle.leaf_hash(i.to_bytes(4, "big")) for i in range(count)]


@given(st.integers(1, 300).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n - 1))))
def test_every_inclusion_proof_verifies_and_a_changed_leaf_does_not(size_and_index):
    size, index = size_and_index
    leaves = _leaves(size)
    stored = merkle.tree_of(leaves)
    nodes: merkle.Nodes = lambda level, i: stored[level, i]  # noqa: E731
    path = merkle.inclusion_proof(nodes, index, size)
    tree_root = merkle.root(nodes, size)
    assert merkle.root_from_inclusion(index, size, leaves[index], path) == tree_root
    assert merkle.root_from_inclusion(index, size, merkle.leaf_hash(b"forged"), path) != tree_root


@given(st.integers(1, 300).flatmap(lambda n: st.tuples(st.integers(1, n), st.just(n))))
def test_every_consistency_proof_verifies_and_a_rewritten_history_does_not(sizes):
    first, second = sizes
    leaves = _leaves(second)
    stored = merkle.tree_of(leaves)
    nodes: merkle.Nodes = lambda level, i: stored[level, i]  # noqa: E731
    proof = merkle.consistency_proof(nodes, first, second)
    first_root, second_root = merkle.root(nodes, first), merkle.root(nodes, second)
    assert merkle.verify_consistency(first, second, first_root, second_root, proof)
    rewritten = merkle.tree_of([merkle.leaf_hash(b"x"), *leaves[1:first]])
    forged_root = merkle.root(lambda level, i: rewritten[level, i], first)
    assert not merkle.verify_consistency(first, second, forged_root, second_root, proof)


def test_a_proof_reads_only_logarithmically_many_stored_nodes():
    size = 1_000_000
    keys = merkle.needed_nodes(lambda nodes: merkle.inclusion_proof(nodes, 123_456, size))
    assert 0 < len(keys) <= 20 * 20
    assert merkle.Frontier.edge_keys(size) == [
        (level, index)
        for level, index in sorted(
            merkle.needed_nodes(lambda nodes: merkle.root(nodes, size)), key=lambda k: -k[0]
        )
    ]


def test_a_figure_is_written_the_same_whatever_its_stored_form():
    from decimal import Decimal

    from lotrinh.ledger.canonical import figure_text

    assert figure_text(Decimal("120.0000")) == "120"
    assert figure_text(Decimal("0.5000")) == "0.5"
    assert figure_text(Decimal("-0.0000")) == "0"
    assert figure_text(Decimal("0E-4")) == "0"
    assert figure_text(Decimal("1.2E+3")) == "1200"
    assert figure_text(Decimal("-7.2500")) == "-7.25"
    assert figure_text(None) is None
