"""The curator's files (askbrenda.curator): glossary.yaml and contacts.yaml as a curator types
them, written to a real knowledge folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from askbrenda.curator import Glossary, contacts_for, load_contacts
from askbrenda.errors import ConfigError

REPO = Path(__file__).resolve().parent.parent


def write(folder: Path, name: str, text: str) -> Path:
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_glossary_keys_stay_as_typed(tmp_path: Path) -> None:
    # YAML 1.1 read "2:1" as 121 (base 60), "1:1" as 61, "NO" as False and "ON" as True.
    write(tmp_path, "glossary.yaml",
          "2:1: two carers\n1:1: one-to-one\nNO: number\nON: overnight\n")
    glossary = Glossary.load(tmp_path, builtin=False)
    assert glossary.terms == {"2:1": "two carers", "1:1": "one-to-one", "NO": "number",
                              "ON": "overnight"}
    assert glossary.expand("no of 1:1 visits on 2:1") == (
        "no (number) of 1:1 (one-to-one) visits on (overnight) 2:1 (two carers)")


def test_contact_values_stay_as_typed(tmp_path: Path) -> None:
    write(tmp_path, "contacts.yaml",
          "contacts:\n  - name: Duty Desk\n    phone: 0123456\n    hours: 24/7\n"
          "    email: ~\n    topics: [default]\n")
    (desk,) = load_contacts(tmp_path)
    assert desk.phone == "0123456"  # not the octal number 42798
    assert desk.email == ""
    assert desk.line() == "Duty Desk, 0123456 (24/7)"


def test_topics_as_a_plain_string(tmp_path: Path) -> None:
    write(tmp_path, "contacts.yaml",
          "contacts:\n  - name: Safeguarding Hub\n    topics: safeguarding\n"
          "  - name: Equipment Store\n    topics: Equipment, hoists\n")
    hub, store = load_contacts(tmp_path)
    assert hub.topics == ("safeguarding",)  # was ('s', 'a', 'f', ...)
    assert contacts_for([hub, store], "safeguarding") == [hub]
    assert store.topics == ("equipment", "hoists")
    write(tmp_path, "contacts.yaml", "contacts:\n  - name: Desk\n    topics: {a: b}\n")
    with pytest.raises(ConfigError, match="topics"):
        load_contacts(tmp_path)


def test_bad_files_still_say_what_is_wrong(tmp_path: Path) -> None:
    write(tmp_path, "glossary.yaml", "OT: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        Glossary.load(tmp_path)
    write(tmp_path, "glossary.yaml", "- OT\n- PT\n")
    with pytest.raises(ConfigError, match="ABBREVIATION: meaning"):
        Glossary.load(tmp_path)
    write(tmp_path, "contacts.yaml", "- name: Desk\n")
    with pytest.raises(ConfigError, match="'contacts:' list"):
        load_contacts(tmp_path)
    write(tmp_path, "contacts.yaml", "contacts:\n  - phone: '01632 960100'\n")
    with pytest.raises(ConfigError, match="needs a name"):
        load_contacts(tmp_path)


def test_letters_that_only_case_fold_to_ascii_do_not_crash() -> None:
    # re.I matches these to i and s, but .lower() did not map them back: KeyError.
    glossary = Glossary({"info": "information", "SW": "social worker", "DFG": "grant"})
    assert glossary.expand("İnfo on dfg") == "İnfo (information) on dfg (grant)"
    assert glossary.expand("ınfo from the ſw") == "ınfo (information) from the ſw (social worker)"


def test_abbreviations_joined_by_a_slash(tmp_path: Path) -> None:
    write(tmp_path, "glossary.yaml",
          "TVN: tissue viability nurse\nDN: district nurse\nPU: pressure ulcer\n"
          "w/c: wheelchair\nc: carer\nw: week\n")
    glossary = Glossary.load(tmp_path, builtin=False)
    assert glossary.expand("tvn/dn referral for pu") == (
        "tvn (tissue viability nurse)/dn (district nurse) referral for pu (pressure ulcer)")
    # A key with a '/' matches whole: neither "w" nor "c" fires inside "w/c".
    assert glossary.expand("w/c for c") == "w/c (wheelchair) for c (carer)"
    assert glossary.expand("pu2 tvnx") == "pu2 tvnx"  # still whole words only


def test_shipped_glossary_and_shorthand() -> None:
    glossary = Glossary.load(REPO / "knowledge")
    assert glossary.expand("dfg for w/c") == (
        "dfg (Disabled Facilities Grant) for w/c (wheelchair)")
    assert glossary.expand("16yo p/t, min/max hrs") == (
        "16yo (years old) p/t (part-time), min (minimum)/max (maximum) hrs (hours)")
    assert glossary.expand("ot/pt at a&e") == (
        "ot (occupational therapist)/pt (patient) at a&e (accident and emergency)")
    assert glossary.expand("MHA ax on a weds") == (
        "MHA (Mental Health Act) ax (assessment) on a weds (Wednesday)")


def test_shipped_contacts() -> None:
    contacts = load_contacts(REPO / "knowledge")
    assert [c.phone for c in contacts_for(contacts, "safeguarding")] == [
        "01632 960200", "01632 960999", "999"]
