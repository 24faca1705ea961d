"""Curator-edited files beside the guidance: the glossary and who to contact."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from askbrenda.errors import ConfigError

SHORTHAND = Path(__file__).with_name("shorthand.yaml")


@dataclass(frozen=True)
class Contact:
    """Someone a practitioner can ask; ``topics`` route questions to them."""

    name: str
    role: str = ""
    phone: str = ""
    email: str = ""
    hours: str = ""
    topics: tuple[str, ...] = ()

    def line(self) -> str:
        """One line for an answer: name, phone, email, hours."""
        parts = [self.name] + [p for p in (self.phone, self.email) if p]
        text = ", ".join(parts)
        return f"{text} ({self.hours})" if self.hours else text

    def to_dict(self) -> dict[str, str]:
        """JSON-ready."""
        return {"name": self.name, "role": self.role, "phone": self.phone,
                "email": self.email, "hours": self.hours}


def _read_yaml(path: Path) -> object:
    if not path.exists():
        return None
    try:
        # BaseLoader keeps lists and mappings but leaves every scalar as the text the curator
        # typed: safe_load's YAML 1.1 typing turned "2:1" into 121, "NO" into False and an
        # unquoted phone 0123456 into the octal number 42798.
        return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid YAML ({exc}). Fix it and try again.") from exc


def _text(value: object) -> str:
    """A scalar as text; "~" (YAML's null, kept as text by BaseLoader) and missing are blank."""
    text = "" if value is None else str(value).strip()
    return "" if text == "~" else text


def _topics(value: object, path: Path) -> tuple[str, ...]:
    """``topics:`` as lower-case words: a list, or a plain "safeguarding" / "a, b" string (which
    was iterated letter by letter, so the contact matched no topic)."""
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        raise ConfigError(f"topics in {path} must be a list such as [safeguarding, hoists].")
    return tuple(t for t in (_text(v).lower() for v in value) if t)


@dataclass
class Glossary:
    """Abbreviations practitioners type, expanded for both retrievers."""

    terms: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, knowledge: Path, builtin: bool = True) -> Glossary:
        """The built-in shorthand (``askbrenda/shorthand.yaml``) plus ``glossary.yaml`` in the
        knowledge folder (absent = none); the folder's meaning wins for a key in both."""
        terms: dict[str, tuple[str, str]] = {}  # lower-case key -> (key as written, meaning)
        for path in ([SHORTHAND] if builtin else []) + [knowledge / "glossary.yaml"]:
            raw = _read_yaml(path) or {}
            if not isinstance(raw, dict):
                raise ConfigError(f"{path} must be 'ABBREVIATION: meaning' lines.")
            for key, value in raw.items():
                if _text(key) and _text(value):
                    terms[_text(key).lower()] = (_text(key), _text(value))
        return cls(dict(terms.values()))

    def __post_init__(self) -> None:
        ordered = sorted(self.terms, key=len, reverse=True)
        # One named group per term, so a match names its own meaning: looking the matched text
        # up with .lower() raised KeyError where re.I matches a letter that .lower() does not
        # map back ("İnfo", "ı", "ſ" match "info", "i", "s").
        self._meanings = [self.terms[t] for t in ordered]
        # Not after a letter (digits may precede: "16yo") and not before a letter or digit. A
        # '/' either side is a boundary, so "tvn/dn" expands both; a key with a '/' such as
        # "w/c" still matches whole, as the longest alternative is tried first at the "w", and
        # so a key "c" cannot fire inside it.
        self._pattern = re.compile(
            r"(?<![^\W\d_])(?:"
            + "|".join(f"(?P<t{i}>{re.escape(t)})" for i, t in enumerate(ordered))
            + r")(?!\w)", re.I
        ) if ordered else None
        self._lookup = {k.lower(): v for k, v in self.terms.items()}

    def __contains__(self, term: str) -> bool:
        return term.lower() in self._lookup

    def expand(self, text: str) -> str:
        """``"dfg for w/c"`` -> ``"dfg (Disabled Facilities Grant) for w/c (wheelchair)"``."""
        if self._pattern is None:
            return text
        return self._pattern.sub(
            lambda m: f"{m.group(0)} ({self._meanings[int(str(m.lastgroup)[1:])]})", text)


def load_contacts(knowledge: Path) -> list[Contact]:
    """``contacts.yaml`` in the knowledge folder (absent = none)."""
    raw = _read_yaml(knowledge / "contacts.yaml") or {}
    entries = raw.get("contacts", []) if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise ConfigError(f"{knowledge / 'contacts.yaml'} must hold a 'contacts:' list.")
    contacts = []
    for entry in entries:
        if not isinstance(entry, dict) or not _text(entry.get("name")):
            raise ConfigError(f"Every contact in {knowledge / 'contacts.yaml'} needs a name.")
        contacts.append(Contact(
            name=_text(entry["name"]), role=_text(entry.get("role")),
            phone=_text(entry.get("phone")), email=_text(entry.get("email")),
            hours=_text(entry.get("hours")),
            topics=_topics(entry.get("topics") or [], knowledge / "contacts.yaml"),
        ))
    return contacts


def contacts_for(contacts: list[Contact], topic: str) -> list[Contact]:
    """Contacts tagged with ``topic``."""
    return [c for c in contacts if topic in c.topics]


def route(contacts: list[Contact], text: str) -> list[Contact]:
    """Who to ask about ``text``: contacts whose topic words appear in it, then the default."""
    words = set(re.findall(r"[a-z][a-z-]+", text.lower()))
    chosen = [c for c in contacts
              if any(t in words or t.rstrip("s") in words for t in c.topics
                     if t not in ("default", "safeguarding"))]
    for c in contacts_for(contacts, "default"):
        if c not in chosen:
            chosen.append(c)
    return chosen[:3]
