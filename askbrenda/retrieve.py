"""Hybrid retrieval: dense (Chroma) + lexical (bm25s), fused (:mod:`askbrenda.ranking`), with the
features that confidence is computed from."""

from __future__ import annotations

import difflib
import math
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from askbrenda import calibration
from askbrenda.cases import labelled
from askbrenda.chunking import pipeline_id, search_text
from askbrenda.config import Settings
from askbrenda.curator import Glossary, load_contacts
from askbrenda.embeddings import Embedder, get_embedder
from askbrenda.errors import StoreError
from askbrenda.evidence import answer_sentence, word_pairs
from askbrenda.kinds import answer_type_found, lexical_hint
from askbrenda.question import (
    QUESTION_STOPWORDS,
    WORD,
    as_typed,
    content_words,
    english,
    follow_up,
    names_no_topic,
    spelling_variants,
    with_context,
)
from askbrenda.ranking import Passage, fuse, merge_overlaps
from askbrenda.reader import PASSAGES_READ, get_reader
from askbrenda.store import LexicalIndex, _tokenize, load_manifest, open_collection, stored

ANSWER_WEIGHT = 0.5  # the answer-sentence rerank, on the blend's 0..1 scale (0.3-0.8 measured)
CANDIDATES = 50


@dataclass
class Retrieval:
    """Ranked passages (best first) and the confidence features of the query."""

    query: str
    passages: list[Passage]
    features: dict[str, float] = field(default_factory=dict)
    question_vector: np.ndarray | None = None  # the question alone, for the safeguarding model
    groups: list[set[str]] = field(default_factory=list)  # see Index.query_groups
    pairs: list[tuple[str, str]] = field(default_factory=list)  # see Index.query_pairs
    compounds: list[tuple[str, str]] = field(default_factory=list)  # pairs the folder has too
    question: str = ""  # what was asked: a follow-up after the question it follows
    own: list[set[str]] = field(default_factory=list)  # a follow-up's own words, one required
    marks: frozenset[tuple[str, str]] = frozenset()  # the bands, levels... asked about (labelled)


STALE = ("The guidance index was built by an earlier version of Ask Brenda (or with other chunk "
         "settings), so answers may quote text as it was read then. Run `askbrenda ingest` (or "
         "`python ingest.py`) to bring it up to date.")


class Index:
    """Everything needed to answer, loaded once per process (the model, both indexes)."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.manifest = load_manifest(settings.store_path)
        if not self.manifest.docs:
            raise StoreError(
                f"The index at {settings.store_path} is empty. Run `askbrenda ingest` "
                "(or `python ingest.py`) first."
            )
        # An upgrade that reads files differently leaves the old passages searchable until the
        # next ingest; answers quote them meanwhile, so say so rather than fail.
        self.stale = STALE if self.manifest.pipeline != pipeline_id(settings) else ""
        self.collection = open_collection(settings)
        self.lexical = LexicalIndex.load(settings.store_path / self.manifest.lexical)
        self.glossary = Glossary.load(settings.knowledge_dir)
        self.contacts = load_contacts(settings.knowledge_dir)
        self.calibration = calibration.load(settings)
        self.embedder = embedder or get_embedder(settings.embedding_model)
        self.reader = get_reader(settings.embedding_model)
        self._lock = threading.Lock()
        self.records = self._load_records()
        self._doc_freq = self._document_frequencies()
        self._known = {w for text in self._search_texts for w in WORD.findall(text.lower())}
        self._vocab = sorted(self._known)
        english()  # loaded here (0.1 s), not on the first practitioner's question

    def _load_records(self) -> dict[str, Passage]:
        ids = self.manifest.chunk_ids()
        records: dict[str, Passage] = {}
        for cid, text, meta in stored(self.collection, ids):
            records[cid] = Passage(
                id=cid, text=text, source=meta["source"], title=meta["title"],
                section=meta.get("section", ""), page=meta.get("page") or None,
                review_by=meta.get("review_by", ""), owner=meta.get("owner", ""),
                position=0,
            )
        for position, cid in enumerate(ids):
            if cid in records:
                records[cid].position = position
        self._search_texts = [search_text(r.title, r.section, r.text) for r in records.values()]
        return records

    def _document_frequencies(self) -> Counter[str]:
        freq: Counter[str] = Counter()
        self._side_by_side: set[tuple[str, str]] = set()  # neighbouring words in the folder
        for tokens in _tokenize(self._search_texts):
            freq.update(set(tokens))
            self._side_by_side.update(zip(tokens, tokens[1:], strict=False))
        return freq

    def idf(self, token: str) -> float:
        """Inverse document frequency of a stemmed token over the chunks."""
        n = max(len(self.records), 1)
        return math.log(1 + (n - self._doc_freq.get(token, 0) + 0.5) / (self._doc_freq.get(token, 0) + 0.5))

    # -- query side ---------------------------------------------------------------------

    def correct_typos(self, text: str) -> str:
        """Append the nearest index word for unknown words ("stiarlift" -> "stairlift"), or the
        two index words an unknown word runs together ("keysafe" -> "key safe")."""
        known, words = self._known, english()
        extra = []
        for word in set(WORD.findall(text.lower())):
            # A glossary term is expanded instead: "kids" means children, not "kinds"; and
            # "doesnt" is no typo of "doesn". A real word is no typo either: "sore" is not
            # "store", nor "adapting" "adopting", though the folder has only the second.
            if len(word) < 4 or word in known or word in self.glossary:
                continue
            # A real word the folder spells another way: "advisors" for "adviser".
            variant = next((v for v in spelling_variants(word) if v in known), None)
            if variant:
                extra.append(variant)
                continue
            if word in QUESTION_STOPWORDS or word in words:
                continue
            # Two folder words typed as one: "keysafe" for "key safe", "grabrail".
            halves = next(((word[:i], word[i:]) for i in range(3, len(word) - 2)
                           if word[:i] in known and word[i:] in known), None)
            if halves:
                extra.append(" ".join(halves))
                continue
            # Two letters typed the wrong way round ("emial", "tkae"): difflib scores a swap of
            # a five-letter word at 0.8, below the cutoff that keeps other guesses out.
            swapped = next((w for i in range(len(word) - 1)
                            if (w := word[:i] + word[i + 1] + word[i] + word[i + 2:]) in known), None)
            if swapped:
                extra.append(swapped)
                continue
            pool = [v for v in self._vocab if abs(len(v) - len(word)) <= 2 and v[0] == word[0]]
            matches = difflib.get_close_matches(word, pool, n=5, cutoff=0.85)
            if matches:
                # Of equally close words, the commoner in English: "complant" is a complaint.
                ratio = {m: difflib.SequenceMatcher(None, word, m).ratio() for m in matches}
                best = [m for m in matches if ratio[m] == ratio[matches[0]]]
                extra.append(max(best, key=words.word_usage_frequency))
        return f"{text} {' '.join(sorted(extra))}" if extra else text

    def build_query(self, question: str, history: Sequence[str] = ()) -> str:
        """The text both retrievers search for: context, typo fixes, glossary expansions."""
        return self.glossary.expand(self.correct_typos(with_context(question.strip(), history)))

    def search(self, question: str, history: Sequence[str] = (), k: int | None = None) -> Retrieval:
        """Top ``k`` passages for ``question`` (merged where they overlap), with features. A
        question that may or may not follow on from the last ("can they have a keysafe?"
        after a hoist question) is searched both ways; the reading the guidance answers with
        more confidence wins."""
        question, history = as_typed(question), [as_typed(h) for h in history]
        if follow_up(question, history) != "maybe":
            return self._search(question, history, k)
        readings = [self._search(question, history, k), self._search(question, (), k)]
        return max(readings, key=lambda r: self.calibration.confidence(r.features))

    def _search(self, question: str, history: Sequence[str], k: int | None) -> Retrieval:
        k = k or self.settings.top_k
        query = self.build_query(question, history)
        with self._lock:  # the embedder and Chroma client are shared between app sessions
            # One encode call for the search text and the bare question: about the cost of one.
            vectors = self.embedder.encode([query, question])
            vector = vectors[0]
            dense = self._dense(vector)
        lexical = self._lexical(query + lexical_hint(question))
        fused = fuse(dense, lexical)
        order = sorted(fused, key=fused.__getitem__, reverse=True)
        cosines = self._cosines(vector, [c for c in order[: k * 3] if c not in dense])
        cosines.update(dense)
        asked = with_context(question, history)
        groups = self.query_groups(asked)
        # A follow-up's own words must be in the answer ("what about for stairs?"), unless it
        # names no topic ("whats the number", "how long does that take"): its kind of fact does.
        own = (self.query_groups(question)
               if asked != question and not names_no_topic(question) else [])
        # Such a follow-up swaps its topic for the last one's ("dpa set up fee", "and
        # valuation?"): the names, kinds and bands an answer must not be another of are its
        # own; the last question still gives the kind of fact asked for.
        about = question if own else asked
        pairs = self.query_pairs(about)
        compounds = [p for p in pairs if p in self._side_by_side]
        marks = labelled(about)
        passages = [Passage(**{**self.records[cid].__dict__, "dense": cosines.get(cid, 0.0),
                               "lexical": lexical.get(cid, 0.0), "score": fused[cid]})
                    for cid in order[: k * 3]]
        # Confidence looks at the blend's own top 3 (copies: merging joins texts in place). Taken
        # after the rerank below, it would be the best of 30 tries and rise for questions the
        # folder does not answer as much as for those it does.
        judged = merge_overlaps([replace(p) for p in passages[:k]])[:3]
        # Rerank by the best answer sentence of each passage: of two passages on the topic, the
        # one with a sentence that holds the question's words (and the kind of fact asked for)
        # comes first. Cheap, lexical, and it won on every set (docs/benchmarks.md).
        weights = self.group_weights(groups)
        for p in passages:
            p.score += ANSWER_WEIGHT * answer_sentence(
                asked, groups, weights, self.idf, [(p.heading, p.text)], pairs, own, compounds,
                marks)
        passages.sort(key=lambda p: p.score, reverse=True)
        passages = merge_overlaps(passages)[:k]
        unknown = [g for g in groups if not any(t in self._doc_freq for t in g)]
        features = {
            "dense_max": max(dense.values(), default=0.0),
            "unknown_words": min(len(unknown), 3) / 3,
            "answer_type": answer_type_found(asked, [p.text for p in judged],
                                             [p.heading for p in judged]),
            "answer_sentence": answer_sentence(
                asked, groups, weights, self.idf,
                [(p.heading, p.text) for p in judged], pairs, own, compounds, marks),
            # Whether the passage quoted first answers the question, read by the cross-encoder.
            "reader": (self.reader.feature(asked, [(p.heading, p.text)
                                                   for p in passages[:PASSAGES_READ]])
                       if self.reader else 0.0),
        }
        return Retrieval(query, passages, features, question_vector=vectors[1], groups=groups,
                         pairs=pairs, compounds=compounds, question=asked, own=own, marks=marks)

    def embed(self, text: str) -> np.ndarray:
        """The embedding of ``text`` (the model is shared between app sessions)."""
        with self._lock:
            return np.asarray(self.embedder.encode([text])[0])

    def _dense(self, vector: np.ndarray) -> dict[str, float]:
        n = min(CANDIDATES, self.collection.count())
        got = self.collection.query(query_embeddings=[vector], n_results=n, include=["distances"])
        return {cid: 1.0 - float(d) for cid, d in zip(got["ids"][0], got["distances"][0],
                                                          strict=True) if cid in self.records}

    def _cosines(self, vector: np.ndarray, ids: list[str]) -> dict[str, float]:
        if not ids:
            return {}
        got = self.collection.get(ids=ids, include=["embeddings"])
        return {cid: float(np.dot(vector, emb)) for cid, emb in zip(got["ids"], got["embeddings"],
                                                                    strict=True)}

    def _lexical(self, query: str) -> dict[str, float]:
        scores = self.lexical.scores(query)
        if not len(scores):
            return {}
        top = np.argsort(-scores)[:CANDIDATES]
        return {self.lexical.ids[i]: float(scores[i]) for i in top
                if scores[i] > 0 and self.lexical.ids[i] in self.records}

    # -- features -----------------------------------------------------------------------

    def query_groups(self, question: str) -> list[set[str]]:
        """One group of stemmed tokens per content word of the question (a follow-up with its
        context: question.with_context); a group holds the word, its typo correction and its glossary
        expansion, any of which may match."""
        groups = []
        for word in content_words(question):
            variants = [word, self.correct_typos(word), self.glossary.expand(word)]
            tokens = {t for v in variants for t in _tokenize([v])[0]}
            if tokens:
                groups.append(tokens)
        return groups

    def query_pairs(self, question: str) -> list[tuple[str, str]]:
        """Neighbouring words of the question (with its context) and its glossary expansions
        ("aa (Attendance Allowance)"): the names it asks about, for evidence.another_name."""
        return word_pairs(self.glossary.expand(question))

    def group_weights(self, groups: list[set[str]]) -> list[float]:
        """How distinctive each word group is: the IDF of its rarest known token. A word the
        folder never uses weighs as much as the rarest one: no passage can cover it, and a
        question built on it ("victoria sponge") is usually not one the folder answers."""
        top = self.idf("")  # a token in no chunk
        return [max((self.idf(t) for t in g if t in self._doc_freq), default=top) for g in groups]


_cache: dict[tuple[object, ...], Index] = {}
_cache_lock = threading.Lock()


def get_index(settings: Settings) -> Index:
    """The process-wide Index for these settings, reloaded when an ingest commits a new one."""
    from askbrenda.store import MANIFEST

    # Reload when an ingest commits, a calibration is saved or the curator edits the YAML files.
    watched = [settings.store_path / MANIFEST, settings.store_path / calibration.FILE,
               settings.knowledge_dir / "glossary.yaml", settings.knowledge_dir / "contacts.yaml"]
    stamp = tuple(p.stat().st_mtime_ns if p.exists() else 0 for p in watched)
    key = (str(settings.store_path.resolve()), str(settings.knowledge_dir.resolve()),
           settings.refusal_threshold, stamp)
    with _cache_lock:
        if key not in _cache:
            _cache.clear()
            _cache[key] = Index(settings)
        return _cache[key]

