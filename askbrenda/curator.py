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
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid YAML ({exc}). Fix it and try again.") from exc


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
                if key and value:
                    terms[str(key).strip().lower()] = (str(key).strip(), str(value).strip())
        return cls(dict(terms.values()))

    def __post_init__(self) -> None:
        ordered = sorted(self.terms, key=len, reverse=True)
        self._pattern = re.compile(
            r"(?<![A-Za-z/])(" + "|".join(re.escape(t) for t in ordered) + r")(?![\w/])", re.I
        ) if ordered else None
        self._lookup = {k.lower(): v for k, v in self.terms.items()}

    def __contains__(self, term: str) -> bool:
        return term.lower() in self._lookup

    def expand(self, text: str) -> str:
        """``"dfg for w/c"`` -> ``"dfg (Disabled Facilities Grant) for w/c (wheelchair)"``."""
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda m: f"{m.group(0)} ({self._lookup[m.group(0).lower()]})",
                                 text)


def load_contacts(knowledge: Path) -> list[Contact]:
    """``contacts.yaml`` in the knowledge folder (absent = none)."""
    raw = _read_yaml(knowledge / "contacts.yaml") or {}
    entries = raw.get("contacts", []) if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise ConfigError(f"{knowledge / 'contacts.yaml'} must hold a 'contacts:' list.")
    contacts = []
    for entry in entries:
        if not isinstance(entry, dict) or not entry.get("name"):
            raise ConfigError(f"Every contact in {knowledge / 'contacts.yaml'} needs a name.")
        contacts.append(Contact(
            name=str(entry["name"]), role=str(entry.get("role", "")),
            phone=str(entry.get("phone", "")), email=str(entry.get("email", "")),
            hours=str(entry.get("hours", "")),
            topics=tuple(str(t).lower() for t in entry.get("topics", []) or []),
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
