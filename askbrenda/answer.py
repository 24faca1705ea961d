"""One function answers for everyone: extractive answer, refusal, review warnings, safeguarding."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Sequence

from askbrenda import guard, safeguarding_model
from askbrenda.cases import asked_nations, nations
from askbrenda.config import Settings, get_settings
from askbrenda.curator import Contact, contacts_for, route
from askbrenda.models import Answer, Citation
from askbrenda.question import asked_part, content_words
from askbrenda.quoting import extract
from askbrenda.retrieve import Index, Passage, get_index

# Answers this close above the refusal threshold say they may not fit: on our training sets
# 29% of those between 0.37 and 0.60 answer a question the folder does not answer, against 8%
# above (held-out sets: 16% and 2.5%); that is where an item's neighbour gets quoted.
TENTATIVE_MARGIN = 0.25
TENTATIVE_NOTE = ("I'm not sure this answers exactly what you asked: the guidance quoted may be "
                  "about a related item or case. Check that it covers yours before acting on it.")
FOLLOW_UP_WORDS = 6  # a question this short, after a safeguarding concern, is taken as about it
SAFEGUARDING_QUERY = "safeguarding concern: what to do straight away, who to call the same day"


def ask(question: str, *, history: Sequence[str] = (), settings: Settings | None = None,
        index: Index | None = None, generate: bool | None = None) -> Answer:
    """Answer ``question`` from the guidance, or refuse; ``history`` holds earlier questions
    of the conversation (for follow-ups). The caller's text is never stored here."""
    started = time.perf_counter()
    settings = settings or get_settings()
    index = index or get_index(settings)
    contacts = index.contacts
    retrieval = index.search(question, history)
    blocked = guard.is_injection(question) or guard.is_off_topic_request(question)
    # A follow-up is read with the question it follows: alone, "and the heavy duty one?" after
    # a bath board question read like a concern. Off-topic text is far from anything the
    # classifier learnt; the phrase rules still apply.
    said = retrieval.question
    vector = None if blocked else (
        retrieval.question_vector if said == question else index.embed(said))
    concern = safeguarding_model.assess(said, vector, index.manifest.model)
    if (not concern.concern and not blocked and history
            and len(question.split()) <= FOLLOW_UP_WORDS):
        # After a concern ("hes hitting her"), the next short question ("who do i ring") is
        # about it: the safeguarding steps stay first. Also when it was read with the concern:
        # "who do i ring" is read with the concern's topic words only ("hitting").
        earlier = history[-1]
        concern = safeguarding_model.assess(earlier, index.embed(earlier), index.manifest.model)
    calib = index.calibration
    confidence = calib.confidence(retrieval.features) if retrieval.passages else 0.0
    passages = list(retrieval.passages)
    steps_id = ""
    if concern.concern:
        steps = safeguarding_passage(index)
        if steps is not None:
            steps_id = steps.id
            # The steps come first (the issue: "put the local safeguarding steps first"), as
            # citation [1]; the retrieved passages follow in retrieval's order.
            passages = [steps] + [p for p in passages if p.id != steps.id]
    citations = [_citation(i + 1, p) for i, p in enumerate(passages)]
    steps_citation = next((c for c in citations if steps_id and c.chunk_id == steps_id), None)
    # A question with no words of its own ("?", "what?") asks nothing the guidance could answer.
    covered = not blocked and bool(retrieval.groups) and confidence >= calib.threshold
    # A safeguarding question is answered by the safeguarding steps, whatever else it asks.
    refused = not covered and not (concern.concern and not blocked and passages)
    text, warnings = "", []
    # Who to ask is chosen by what was asked: a follow-up with the question it follows.
    who = route(contacts, retrieval.question)
    if covered:
        answer_from = [c for c in citations if c is not steps_citation]
        if concern.concern and not content_words(asked_part(retrieval.question)):
            # A concern that asks nothing of its own ("hes hitting her", "..., what do i do")
            # is answered by the steps and the safeguarding guidance: other guidance matched
            # its words, not a question ("Call 999 if the person has hit their head" from the
            # falls guidance). "..., can we still order a bath lift" asks more.
            # A folder with no safeguarding guidance may still say what to do in the guidance
            # the question matched ("must also raise a concern with the Safeguarding Hub").
            answer_from = ([c for c in answer_from if _is_safeguarding(c.title, c.source)]
                           or [c for c in answer_from if _is_safeguarding(c.text, "")])
        text, used = extract(index, retrieval, answer_from)
        warnings = review_warnings([c for c in citations if c.n in used])
    elif refused:
        confidence = min(confidence, calib.threshold)
        text = refusal_text(citations, who, blocked, retrieval.question)
    answer = Answer(question=question, answer=text, refused=refused,
                    confidence=round(confidence, 4), safeguarding=concern.concern,
                    citations=citations, warnings=warnings,
                    contacts=[c.to_dict() for c in (safeguarding_contacts(contacts, concern.reasons)
                              if concern.concern else who)])
    if concern.concern:
        answer.safeguarding_steps = safeguarding_text(steps_citation, contacts, concern.reasons)
        answer.answer = f"{answer.safeguarding_steps}\n\n{text}".strip()
    # Only an answer the guidance covers is rephrased: a safeguarding question the rest of the
    # guidance does not answer keeps the steps alone.
    if covered and (generate if generate is not None else bool(settings.llm_provider)):
        from askbrenda.generate import cited, rephrase

        answer = rephrase(answer, settings, index)
        if answer.mode.startswith("generative"):
            marked = set(cited(answer.answer))
            answer.warnings = review_warnings([c for c in citations if c.n in marked])
    if steps_citation is not None:  # the steps are shown whole: their review date counts too
        steps_due = review_warnings([steps_citation])
        answer.warnings = steps_due + [w for w in answer.warnings if w not in steps_due]
    answer.tentative = (covered and not concern.concern
                        and confidence < calib.threshold + TENTATIVE_MARGIN)
    answer.latency_ms = (time.perf_counter() - started) * 1000
    return answer


def _citation(n: int, p: Passage) -> Citation:
    return Citation(n=n, source=p.source, title=p.title, section=p.section, page=p.page,
                    text=p.text, score=round(p.score, 5), review_by=p.review_by or None,
                    owner=p.owner or None, chunk_id=p.id)


def safeguarding_passage(index: Index) -> Passage | None:
    """The "what to do straight away" passage of the safeguarding guidance (cached per index)."""
    if not hasattr(index, "_safeguarding"):
        found = index.search(SAFEGUARDING_QUERY, k=10).passages
        found = [p for p in found if _is_safeguarding(p.title, p.source)]
        index._safeguarding = found[0] if found else None  # type: ignore[attr-defined]
    return index._safeguarding  # type: ignore[attr-defined]


def _is_safeguarding(title: str, source: str) -> bool:
    """Whether a document is the safeguarding guidance (by its title or file name)."""
    return "safeguard" in (title + source).lower()


def safeguarding_contacts(contacts: list[Contact], reasons: Sequence[str] = ()) -> list[Contact]:
    """Who to call about a concern: the safeguarding contacts, and those for the kind of concern
    the rules read ("self-harm / suicide" also lists a contact tagged self-harm or suicide)."""
    kinds = {w for r in reasons for w in re.findall(r"[a-z][a-z-]+", r.lower())} - {"abuse"}
    extra = [c for c in contacts if kinds & set(c.topics) and "safeguarding" not in c.topics]
    return extra + contacts_for(contacts, "safeguarding")


def safeguarding_text(steps: Citation | None, contacts: list[Contact],
                      reasons: Sequence[str] = ()) -> str:
    """The escalation block shown before anything else."""
    lines = ["POSSIBLE SAFEGUARDING CONCERN: act today, do not wait."]
    if steps is not None:
        lines.append(f"From \u201c{steps.title}\u201d ({steps.section}) [{steps.n}]:")
        lines.append(steps.text)
    who = safeguarding_contacts(contacts, reasons)
    if who:
        lines.append("Who to call:")
        lines += [f"- {c.line()}" + (f": {c.role}" if c.role else "") for c in who]
    if steps is None and not who:
        # A folder with no safeguarding guidance or contacts still must not leave this blank.
        lines.append("This guidance folder has no safeguarding steps or contacts. Follow your "
                     "organisation's safeguarding procedure today, and call 999 if anyone is in "
                     "immediate danger.")
    return "\n".join(lines)


def refusal_text(citations: list[Citation], contacts: list[Contact], blocked: bool,
                 question: str = "") -> str:
    """Says the guidance does not cover this, without stating any fact; titles and who to ask."""
    if blocked:
        lines = ["I can only answer questions about the team's practice guidance, "
                 "quoting it as written. I can't help with that request."]
    else:
        lines = ["The guidance does not cover this, so I can't give you an answer."]
        # Asked about a nation the nearest passages never name: say so, it is the usual reason.
        unnamed = asked_nations(question) - nations(" ".join(c.text for c in citations[:3]))
        if unnamed:
            places = " or ".join(sorted(n.title() for n in unnamed))
            lines[0] += f" It does not say what applies in {places}."
        titles = list(dict.fromkeys(c.title for c in citations[:3]))
        if titles:
            lines.append("You may find these useful: " + "; ".join(titles) + ".")
    if contacts:
        lines.append("Ask: " + "; ".join(c.line() for c in contacts) + ".")
    elif not blocked:
        # No contacts configured: the owners of the nearest documents are the next best people.
        owners = list(dict.fromkeys(f"{c.owner} (\u201c{c.title}\u201d)" for c in citations[:3]
                                    if c.owner))
        lines.append("Ask: " + "; ".join(owners) + "." if owners else
                     "Ask a senior colleague or whoever looks after this guidance.")
    return "\n".join(lines)


def review_warnings(cited: list[Citation], today: dt.date | None = None) -> list[str]:
    """One warning per cited document that is past its review date."""
    today = today or dt.date.today()
    out = []
    for c in {c.source: c for c in cited}.values():
        if not c.review_by:
            continue
        try:
            due = dt.date.fromisoformat(c.review_by)
        except ValueError:  # ingest reads the usual ways of writing a date; this is none
            out.append(f"\u201c{c.title}\u201d has a review date that could not be read "
                       f"(\u201c{c.review_by}\u201d): check it is still current.")
            continue
        if due < today:
            out.append(f"\u201c{c.title}\u201d was due for review on {due.day} "
                       f"{due.strftime('%b %Y')}: check it is still current.")
    return out
