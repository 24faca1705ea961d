"""Cheap checks run before retrieval: prompt injection and clearly off-topic requests.

Both are regular expressions over normalised text.  The off-topic check is deliberately
conservative: it fires only on unmistakable non-practice requests (a poem, a football score),
because the retrieval-confidence model refuses the rest, and a practitioner wrongly told "that
is not a practice question" loses trust fast.
"""

from __future__ import annotations

import re
import unicodedata

# Typing slips seen in the wild ("ingore prior instructions").
_IGNORE = r"(?:ignore|ingore|ignor|ignroe|disregard|disreguard|bypass|override)"
_RULES = (r"(?:instr\w*|instuc\w*|rules?|prompts?|guidelines?|guidance|directions?|directives?"
          r"|programming|restrictions?|filters?|guardrails?)")

_INJECTION = re.compile("|".join((
    # "ignore all previous instructions", "disregard your rules"; but "carers ignore the
    # guidance" is a practice question, so "the" alone is not enough
    # "my" only before "previous" and the like: "what if the carers ignore my instructions on
    # the hoist" is a practice question
    rf"\b{_IGNORE} (?:of )?(?:(?:all|any|your|these|those"
    rf"|my(?= (?:previous|prior|above|earlier|original|initial)\b)) |(?:the )?(?:previous|prior"
    rf"|above|earlier|preceding|original|initial|system|safety) )+{_RULES}\b",
    r"\bforget (?:all |about )*(?:your|previous|prior|everything|the (?:guidance folder|documents?"
    r"|folder|above|previous))\b",
    rf"\b{_IGNORE} (?:all |any )?(?:the |your )?(?:documents|folder|guidance folder|citations"
    r"|everything (?:above|before|you were told))",
    r"\bdisregard (?:the |everything )?(?:above|previous|prior)\b",
    # persona switches: "you are now", "act as an unrestricted AI", "pretend you are", DAN
    # not quoted speech: "client told me you are no longer welcome in my house"
    r"\b(?:you are|youre|u r|ur) (?:now|no longer)\b(?! (?:welcome|allowed|able|going|in|at|on|with"
    r"|here|there|living|staying|safe|eligible|entitled|my|our|his|her|their)\b)",
    r"\b(?:unrestricted|god|dev|developer|dan|admin|debug|jailbreak|sudo) mode\b",
    r"\b(?:if )?(?:you|u) (?:had|have|got) no (?:rules|restrictions|filters|guidelines|limits)\b",
    r"\b(?:can you|can u|just) guess\b|\bdoesnt matter if (?:its|it is) not in the\b",
    r"\bfrom now on,? (?:you|answer|respond|reply|always|ignore)",
    r"\b(?:stop being|you are not|youre not) brenda\b",
    r"\bact (?:as if|as though|like) you\b|\bact as (?:an? )?(?:different|unrestricted|unfiltered"
    r"|uncensored|evil|jailbroken|chat ?gpt|gpt|ai|assistant|chatbot|language model|llm|dan)\b",
    # "pretend to be" asked of the assistant, not "client might pretend to be asleep"
    r"\bpretend (?:you are|youre|that you|you were)\b|(?:^|\b(?:you|u|please|now|just|and) )pretend"
    r" to be\b",
    r"\brole ?-?play(?:ing)? as\b|\bdo anything now\b|\bdeveloper mode\b|\bjail ?break",
    r"\b(?:answer|respond|reply|speak|talk|assistant|ai|bot|chatbot|model)(?: \w+){0,3}"
    r" (?:with no|without any|without|no) (?:rules|restrictions|filters|limits|guidelines)\b",
    # reveal or rewrite the instructions
    r"\bsystem prompt\b|\b(?:hidden|secret|original|initial) (?:rules|instructions|prompt)\b",
    r"\b(?:reveal|show|print|repeat|output|display|tell me|list|give me|what (?:is|are|were))"
    r" (?:me )?(?:all )?(?:of )?your (?:\w+ )?(?:instructions|prompt|rules|guidelines|programming)",
    r"\brepeat (?:the|everything|all)? ?(?:text|words|above|before)\b",
    r"\bnew (?:instructions|rules?)\s*:|\bnew system prompt\b", r"^system\s*:",
    r"\boverride (?:your|the|all|any) (?:rules|instructions|safety|guard\w*|restrictions|filters)",
    # the assistant's safety, not "switch off the safety alarm on the hoist"
    r"\b(?:turn|switch) off (?:the |your )?(?:safeguarding|safety|filters?|guardrails?|citations?"
    r"|checks?)\b(?! (?!filters?|checks?|rules?|guardrails?|mode)\w)",
    # answer outside the guidance, or invent things
    r"\bwithout (?:any )?(?:citations?|citing|sources?|references?|the (?:documents?|guidance"
    r"|folder))\b",
    r"\b(?:from|use|using) (?:your )?(?:own|general) knowledge\b",
    r"\bnot (?:just )?from the (?:documents?|guidance|folder)\b",
    # making an answer up, not "cant make it up the stairs" or "make it up to him"
    r"\bmake (?:it|something|one|stuff|a number|an answer|a figure) up\b(?! (?:the|a|an|to|those"
    r"|these|his|her|their|our|my|stairs?|steps?|and)\b)",
    r"\bmake up (?:a|an|some|the)? ?(?:number|answer|figure|citation|source|reference|quote"
    r"|policy|something)\b",
    r"\b(?:invent|fabricate) (?:a |an |some |the )?(?:answer|number|figure|citation|source"
    r"|reference)",
)))
_DAN = re.compile(r"\bDAN\b")  # case matters: "dan" may be a client's name (not in all capitals)

# Strong requests that are never practice questions, whatever else the text mentions.
_OFF_TOPIC_STRONG = re.compile("|".join((
    r"\b(?:write|compose|give me|tell me|make up|create|generate) (?:me )?(?:a |an |some )?"
    r"(?:(?:short|funny|little|bedtime|quick|silly|nice|lovely|rhyming|cheesy|sweet|happy"
    r"|leaving|birthday|retirement|christmas|love) ){0,3}(?:poem|story|song|joke|limerick|haiku|rap"
    r"|sonnet|lyrics|essay|cover letter|cv|speech)s?\b(?! (?:and|&) lang| therap)",
    r"\btell (?:me )?(?:a |another )?(?:funny )?jokes?\b",
    r"\b(?:write|fix|debug|explain) (?:me |my |some |a |this )?(?:python|java|javascript|sql|html"
    r"|css|c\+\+|code|script|program|function|regex|for loop)\b",
    r"\b(?:python|javascript|java|sql) (?:script|code|function|program)\b|\bfor loop\b",
    r"\bhomework\b|\bsolve \d|\d ?x ?[+-] ?\d+ ?=",
    r"\bhow (?:do|would) (?:you|i) say .+ in (?:french|spanish|german|polish|italian|urdu"
    r"|punjabi|arabic|welsh)\b",
    # sums, not sizes ("what is 2 x 3 metre ramp cost")
    r"^(?:whats |what is |calculate )?\d+ ?(?:times|x|\*|plus|minus|divided by|multiplied by)"
    r" ?\d+\b(?! ?(?:m|metres?|meters?|cm|mm|ft|feet|foot|inch|inches)\b)",
    r"\brecipes? (?:for|to)\b|\b(?:a|best|good|easy|quick|nice) recipes?\b",
)))
# Weaker signals: only off-topic when nothing in the text is about practice.
_OFF_TOPIC_WEAK = re.compile("|".join((
    r"\bscores? (?:last night|yesterday|today|this weekend)\b|\bwho won\b",
    r"\b(?:premier league|man utd|man united|man city|liverpool|arsenal|chelsea) (?:score|result"
    r"|game|match)",
    r"\b(?:whats|what is|hows|how is) the weather\b|\bweather (?:forecast|in|for|tomorrow|today"
    r"|like)\b|\bforecast for\b|\bwill it (?:rain|snow)\b",
    # a request to translate, not the council's translation service ("how long does
    # translation take", "document translation how many days")
    r"^(?:pls |please )?translate\b|\b(?:can|could|would|will) (?:you|u) translate\b"
    r"|\btranslate (?:this|that|it|these|the following)\b|\btranslation of\b|\bmeaning of life\b",
    r"\bcapital of\b|\bbroadband\b|\bstrictly come|\bfilm to watch\b|\bwatch tonight\b"
    r"|\blottery numbers\b|\bhoroscope\b|\bbitcoin\b|\bshare price\b",
    # baking can be an OT kitchen assessment ("pt keen on baking a cake, adaptations?")
    r"\b(?:bak|mak)(?:e|ing) (?:a |an |some )?(?:\w+ )?(?:cake|sponge|bread|pie|biscuits|scones)\b",
    r"\bwhats your (?:favourite|name)\b|\bwhat is your (?:favourite|name)\b",
    # chit-chat, only when it is the whole message
    r"^(?:hi|hello|hey|hiya|good (?:morning|afternoon|evening))?(?: there| brenda)?"
    r" ?(?:how are (?:you|u)|hows it going|how r u)?(?: (?:doing|today))?$",
    r"^(?:hi|hello|hey|hiya)(?: there| brenda)?$",
)))
# Practice vocabulary that vetoes the weaker signals ("translate the DFG leaflet for a client").
_PRACTICE = re.compile(
    r"\b(?:pt|pts|client|patient|service user|carer|ot|ota|dfg|hoist|sling|stairlift|telecare"
    r"|careline|pendant|wheelchair|w ?c|ramp|rail|rails|bath|shower|commode|mattress|cushion"
    r"|leaflet|referral|assessment|equipment|adaptations?|safeguarding|visits?|falls?|alarm"
    r"|sensor|detector|key ?safe|grab|stairs?|bed|chair|toilet|dementia|capacity|mca|lpa|grant"
    r"|hospital|discharge|nurse|gp|mobility|frame|home|house|flat|mum|dad|son|daughter|family"
    r"|wife|husband|resident|care)\b")


def _norm(text: str) -> str:
    """Lower case, apostrophes dropped, other punctuation (bar : + = -) to spaces."""
    # NFKC: full-width and other look-alike letters ("ｉｇｎｏｒｅ") read as plain ones
    text = re.sub(r"['\u2019`]", "", unicodedata.normalize("NFKC", text).lower())
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9:+=\-]+", " ", text)).strip()


def is_injection(text: str) -> bool:
    """True when the text tries to make the assistant drop its rules or reveal/alter them."""
    shouting = text.upper() == text  # "MY CLIENT DAN CANT GET IN THE BATH"
    return bool(not shouting and _DAN.search(text) or _INJECTION.search(_norm(text)))


def is_off_topic_request(text: str) -> bool:
    """True only for requests that are clearly not practice questions (poems, code, recipes,
    sport, weather, chit-chat, translation)."""
    norm = _norm(text).replace(":", " ").strip()
    if not norm:
        return False
    if _OFF_TOPIC_STRONG.search(norm):
        return True
    return bool(_OFF_TOPIC_WEAK.search(norm)) and not _PRACTICE.search(norm)
