import pytest

from commerce_platform.support.bm25 import BM25Index, Thesaurus, analyze
from commerce_platform.support.documents import (
    DocumentParseError,
    chunk_document,
    count_tokens,
    parse_document,
    split_sentences,
)

pytestmark = pytest.mark.unit

MD = b"""---
category: returns
---
# Returns policy

Intro sentence one. Intro sentence two.

## Return periods

Consumers may return a product within **30 days**. See [the form](https://x.example/form).

- cut pipes cannot be returned
- opened sealants cannot be returned
"""

HTML = b"""<html><head><title>T</title><meta name="category" content="install"></head><body>
<nav>menu menu</nav><h1>Water meter</h1><p>Mount the meter with the arrow in the flow direction.</p>
<h2>Frost</h2><p>Protect it from frost.</p><script>var x = 1;</script></body></html>"""

TXT = b"""Spare parts

ORDERING

We keep spare parts for 10 years. Seal kits are listed on the product page.

PAID REPAIRS

The inspection fee is 39 EUR.
"""


def test_markdown_sections_front_matter_and_cleanup():
    doc = parse_document("returns/policy.md", MD)
    assert doc.title == "Returns policy"
    assert doc.category == "returns"
    headings = [s.heading for s in doc.sections]
    assert headings == ["Returns policy", "Return periods"]
    periods = doc.sections[1].text
    assert "30 days" in periods and "**" not in periods and "https://" not in periods and "the form" in periods
    assert "cut pipes cannot be returned" in periods


def test_html_headings_skip_nav_and_script():
    doc = parse_document("guides/meter.html", HTML)
    assert doc.title == "Water meter"
    assert doc.category == "install"
    text = " ".join(s.text for s in doc.sections)
    assert "menu" not in text and "var x" not in text
    assert [s.heading for s in doc.sections] == ["Water meter", "Frost"]


def test_text_headings_from_standalone_lines():
    doc = parse_document("warranty/spare.txt", TXT)
    assert doc.title == "Spare parts"
    assert doc.category == "warranty"  # from the folder
    assert [s.heading for s in doc.sections] == ["ORDERING", "PAID REPAIRS"]


@pytest.mark.parametrize("name,data,message", [
    ("a.pdf", b"%PDF-1.4", "unsupported document type"),
    ("a.md", b"\x00\x01\x02binary", "binary"),
    ("a.txt", "caf\u00e9".encode("latin-1"), "not valid UTF-8"),
    ("a.md", b"   \n\n", "no text"),
])
def test_unparseable_documents_name_the_file(name, data, message):
    with pytest.raises(DocumentParseError) as exc:
        parse_document(name, data)
    assert name in str(exc.value) and message in str(exc.value)


def test_chunks_respect_target_sentence_boundaries_and_overlap():
    sentences = [f"Sentence number {i} talks about valve {i} and pressure {i} bar." for i in range(120)]
    body = "# Long guide\n\n## Valves\n\n" + " ".join(sentences)
    doc = parse_document("installation/long.md", body.encode())
    chunks = chunk_document(doc, target_tokens=100, overlap_tokens=25)
    assert len(chunks) > 5
    for ch in chunks:
        assert ch.tokens <= 100
        assert ch.heading == "Valves"
        assert ch.text.endswith(".") and ch.text.startswith("Sentence number")  # whole sentences only
    for a, b in zip(chunks, chunks[1:]):
        last_of_a = split_sentences(a.text)[-1]
        assert b.text.startswith(split_sentences(a.text)[-2]) or b.text.startswith(last_of_a)  # overlap
    assert [c.chunk_no for c in chunks] == list(range(len(chunks)))
    assert count_tokens(" ".join(sentences)) < sum(c.tokens for c in chunks)  # overlap repeats text


def test_small_sections_share_a_chunk_keeping_first_heading():
    doc = parse_document("x.md", b"# T\n\n## A\n\nOne short fact.\n\n## B\n\nAnother short fact.\n")
    chunks = chunk_document(doc, 300, 50)
    assert len(chunks) == 1
    assert chunks[0].heading == "A" and "B:" in chunks[0].text


@pytest.mark.parametrize("word,stemmed", [("returns", "return"), ("returned", "return"), ("returning", "return"),
                                          ("pipes", "pipe"), ("pipe", "pipe"), ("shipping", "ship"),
                                          ("delivered", "deliv"), ("deliveries", "deliveri"),
                                          ("tilauksen", "tilaus"), ("palautukset", "palautus")])
def test_stemming_joins_word_forms(word, stemmed):
    assert analyze(word) == [stemmed]


def test_bm25_matches_finnish_inflected_forms():
    idx = BM25Index()
    docs = {"a": "Tilauksen palautus onnistuu 30 päivän kuluessa", "b": "Toimitukset kestävät viikon", "c": "pump warranty"}
    idx.set_documents(list(docs), {k: BM25Index.term_counts(v) for k, v in docs.items()})
    assert idx.scores("miten palautan tilaukset").argmax() == 0
    assert idx.scores("toimitus").argmax() == 1


def test_bm25_ranks_matching_document_first_and_weights_expansions():
    idx = BM25Index()
    docs = {"a": "return the pump within 30 days", "b": "delivery times and shipping costs", "c": "pump warranty"}
    idx.set_documents(list(docs), {k: BM25Index.term_counts(v) for k, v in docs.items()})
    scores = idx.scores("how do I return a pump")
    assert scores.argmax() == 0
    assert idx.scores({"ship": 0.5})[1] < idx.scores({"ship": 1.0})[1]
    state = BM25Index.from_state(idx.to_state())
    assert list(state.scores("shipping")) == list(idx.scores("shipping"))


def test_thesaurus_expands_customer_wording_on_word_boundaries():
    th = Thesaurus({"guarantee": ["warranty"], "post": ["parcel"]})
    weighted, text = th.expand("Is the guarantee valid?")
    assert weighted[analyze("warranty")[0]] == th.weight < 1 and "warranty" in text
    assert th.expansions("my postcode") == []  # "post" must not match inside "postcode"


def test_thesaurus_prefix_keys_match_inflected_finnish():
    th = Thesaurus({"paket*": ["parcel"], "takuu*": ["warranty"]})
    assert th.expansions("Missä pakettini on?") == ["parcel"]
    assert th.expansions("Onko tämä takuun piirissä") == ["warranty"]
    assert th.expansions("tietopaketti") == []  # prefix keys still start at a word boundary


class _RankedKB:
    """A knowledge base whose search returns fixed passages (source per passage, best first)."""

    def __init__(self, passages):
        self.passages, self.calls = passages, []

    def search(self, question, k=5, mode="hybrid"):
        from types import SimpleNamespace

        self.calls.append((question, k, mode))
        return [SimpleNamespace(source=s) for s in self.passages.get(question, [])][:k]


def test_document_rank_counts_documents_not_passages():
    from commerce_platform.support.kb_eval import document_rank, document_ranking, retrieval_metrics

    kb = _RankedKB({"q1": ["a.md", "a.md", "b.md", "c.md"], "q2": ["b.md"], "q3": []})
    assert document_ranking(kb, "q1", "bm25") == ["a.md", "b.md", "c.md"]
    assert document_rank(kb, "q1", "c.md", "bm25") == 3  # the second a.md passage does not count
    assert document_rank(kb, "q3", "a.md", "bm25") is None
    questions = [{"id": 1, "question": "q1", "source": "a.md"}, {"id": 2, "question": "q1", "source": "c.md"},
                 {"id": 3, "question": "q2", "source": "a.md"}]
    m = retrieval_metrics(kb, questions, "vector")
    assert (m["recall@1"], m["recall@3"], m["mrr"]) == (0.333, 0.667, round((1 + 1 / 3) / 3, 3))
    assert [(x["id"], x["rank"]) for x in m["misses"]] == [(2, 3), (3, None)]
    assert {mode for _, _, mode in kb.calls} == {"bm25", "vector"}
    assert retrieval_metrics(kb, [], "bm25")["recall@1"] is None


def test_batched_embedder_embeds_each_text_once_with_the_same_vectors():
    import numpy as np

    from commerce_platform.ports.text_embeddings import get_text_embedder
    from commerce_platform.support.kb_eval import BatchedEmbedder

    inner = get_text_embedder("ngram")
    seen = []

    class Counting:
        name, dim = inner.name, inner.dim

        def embed(self, texts):
            seen.append(list(texts))
            return inner.embed(texts)

    batched = BatchedEmbedder(Counting())
    batched.prefetch(["pump", "valve", "pump"])
    out = batched.embed(["valve", "pump", "drain"])
    assert seen == [["pump", "valve"], ["drain"]]
    assert np.allclose(out, inner.embed(["valve", "pump", "drain"]))
    assert (batched.name, batched.dim) == (inner.name, inner.dim)
