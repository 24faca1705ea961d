"""Spot questions that describe a possible risk to an adult (abuse, neglect, self-harm...).

Practitioners type on phones: lower case, typos, no punctuation.  Missing a concern costs far
more than a false alarm, so the table below is tuned for recall; a few negative guards blank out
benign phrases ("bruise-resistant", "hurt her back lifting") that would otherwise trip it.
Regular expressions plus difflib only: fast, deterministic, no downloaded models.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from string import Template


@dataclass(frozen=True)
class SafeguardingSignal:
    concern: bool
    reasons: tuple[str, ...]  # short labels of what matched, e.g. ("financial abuse",)


# Key words worth correcting when misspelt ("negelct", "finacial", "safegaurding", "bruses").
_KEY_WORDS = (
    "abuse", "abused", "abuser", "abusing", "abusive", "bruise", "bruises", "bruising",
    "bruised", "neglect", "neglected", "neglecting", "financial", "financially", "safeguarding",
    "hoarding", "hoarder", "suicide", "suicidal", "squalor", "unexplained", "threats",
    "threatening", "threatened", "threatens", "frightened", "terrified", "exploited",
    "exploitation", "exploiting", "coercive", "cuckooing", "sexual", "sexually", "harassing",
    "humiliating", "humiliation", "violence", "violent", "domestic", "stockpiling", "overdose",
)
# Real words within fuzzy reach of a key word: never "correct" these into one.
_REAL_WORDS = frozenset({
    "amused", "amuses", "amusing", "boarding", "harder", "boarder", "border", "hoarse",
    "cruised", "cruises", "cruising", "explained", "threaded", "violin", "violins", "violet",
    "exploring", "explored", "exploded", "bruiser",
})

# Building blocks, written $NAME in the tables.  P: whoever is on the receiving end.  PERSON:
# someone who might cause harm, so "scared of her son" fires but "scared of the hoist" does not.
_BLOCKS = {
    "P": r"(?:her|him|them|me|his|their|my|pt|client|mum|dad|the resident|residents)",
    "PERSON": r"(?:(?:her|his|their|my|the|a|mums|dads|pts|clients) )?(?:(?:new|other|older"
              r"|younger|eldest|oldest|youngest|own|night|day|agency) )?(?:son|daughter|husband"
              r"|wife|partner|boy ?friend|girl ?friend|ex|brother|sister|grand ?son|grand ?daughter"
              r"|nephew|niece|mum|dad|mother|father|uncle|aunt|carers?|lodger|neighbours?|landlord|friends?"
              r"|residents?|patients?|staff|family|man|woman|men|people|stepson|him|them|he|they)",
    "FEAR": r"(?:scared|frightened|terrified|afraid|petrified|fearful|in fear)",
    "BRUISE": r"br(?:ui|u|iu)[sz]",  # bruise, bruse, bruz...; the "u" keeps "brisk" out
    "HIT": r"(?:hit|hits|hitting|hittin|slap\w*|punch\w*|kick(?:s|ed|ing)?|beat(?:s|ing|en)?|strangl\w*"
           r"|chok(?:es|ed|ing)|throttl\w*)",
    # after a blow: "hit her head" in a fall is an accident, "hit her" is not
    "NOTBODY": r"(?! (?:head|back|shoulders?|neck|knees?|hips?|wrists?|legs?|ankles?|feet|shins?"
               r"|elbows?|toes?|foot)\b)",
    # "worried about her falling" is a falls question
    "NOTACT": r"(?! (?:falling|fall|using|getting|going|managing|transferring|on|in|with"
              r"|being able)\b)",
    # "pt looked frightened" is a concern; "afraid of the hoist", "afraid she will fall" are not
    "NOTOF": r"(?! (?:of|to|about|that|when|using|on|in)\b)(?! (?:she|he|they|it)(?:ll| will"
             r"| might| may| could)? (?:fall|slip|tip|drop))",
    "MONEY": r"(?:money|pension|savings|benefits|cash|bank ?cards?|cards? and pin|pin|inheritance"
             r"|stuff|things|belongings|possessions|jewel\w*)",
    "MEDS": r"(?:meds|medication|tablets|pills|insulin)",
    "AIDS": r"(?:frame|walking|sticks?|wheelchair|glasses|hearing|phone|zimmer|pendant|alarm"
            r"|food|meds|medication)",
}

# (label, alternatives).  Alternatives are separated by " | "; a line break reads as a space;
# "# " lines are comments.  Matched against normalised text, each from a word start.
_RULES: tuple[tuple[str, str], ...] = (
    ("abuse", r"abus(?:e|ed|er|ers|es|ing|ive)\b | ill ?treat | mistreat | maltreat"),
    ("safeguarding", r"""safeguard | risk of (?:harm|abuse|exploitation) | adults? at risk\b |
    section 42\b | s42\b | hub (?:is )?(?:shut|closed)"""),
    ("worried about a person", r"""(?:worried|concerned|worrying) about (?:a |my |the |this |one
    of my )?(?:client|pt|patient|service user|lady|resident|$PERSON)\b$NOTACT"""),
    ("physical abuse: bruises", r"$BRUISE(?:e|ed|es|ing|in|ng|s)?\b"),
    ("physical abuse: injury", r"""unexplained\b | cigarette burns? | black eye\b | cut lip\b |
    (?:finger ?(?:tip)?|grip|strap|slap|rope|bite|burn) marks?\b | old fractures? | hand ?print |
    (?:bleeding|injur\w*|marks?|burns?|cuts?|wounds?|fractures?)
    (?:\w+ ){0,2}(?:cant|cannot|couldnt|nobody can|no one can) (?:be )?explain |
    (?:been|was|were|is) tied\b |
    marks (?:on|round|around) (?:her|his) (?:neck|face|arms?|wrists?|legs?|ankles?|body|throat) |
    (?:burst|split|fat) lip | scratch(?:es| marks)\b | burns? (?:marks? )?on (?:her|his|their)\b |
    (?:nobody|no one|noone) (?:knows|can say|saw) how |
    nobody (?:has )?(?:told|informed) (?:the )?(?:family|gp|anyone) |
    (?:fracture|broken \w+|injury|injuries|falls?) (?:\w+ ){0,2}nobody reported"""),
    ("physical abuse: assault", r"""$HIT (?:her$NOTBODY|him|them|me|pt|client|$PERSON)\b |
    (?:grab(?:s|bed|bing)?|yank\w*|shov\w*|manhandl\w*) $P | hits? out\b | violen(?:ce|t)\b |
    push(?:es|ed|ing)? $P(?: \w+)? (?:over|down|around|about|into) | rough(?:ly)? (?:with|handl) |
    twist\w* (?:her|his) arm | throw\w* (?:\w+ )?at (?:her|him|them|me)\b |
    shak(?:e|es|ing|en) (?:her|him)\b |
    (?:dropped (?:her|him|them|pt)|(?:got|was|been) dropped)\b(?! off) |
    # "it hurts her when she stands" is pain, not harm by someone
    (?<!\bit )(?<!\bthat )(?<!\bthis )hurt(?:s|ing)? (?:her|him|me|them)$NOTBODY(?! arms?\b) |
    (?:slapped|punched|kicked|beaten|assaulted|attacked|strangled) (?:by|me|her|him)\b |
    (?:gets?|got|getting|been|being) (?:hit|slapped|punched|kicked|beaten)\b(?! by (?:the|a|an)
    (?:door|car|van|bus|bike|ball|hoist|sling|bar|gate|wheelchair|footplate)s?\b)(?! with (?:\w+
    ){0,3}(?:tax|bills?|charges?|fines?|fees?|debts?|sanctions?|penalty|overpayments?|rent)\b)"""),
    ("sexual abuse", r"""sexual(?:ly)?\b | rap(?:e|ed|ing)\b | grop\w* | indecent |
    forces? (?:him|her)self | inappropriate(?:ly)? touch | touch(?:es|ed|ing) (?:her|him)\b |
    touch(?:es|ed|ing)? (?:her|him|me) (?:\w+ )?(?:inappropriately|sexually|down there) |
    half (?:her|his) age | older m[ae]n who | who the father is |
    gives? (?:her|him) (?:phone credit|gifts|alcohol|drugs|cigarettes) |
    (?:someone|somebody|a man) (?:\w+ ){0,2}(?:coming|comes|came) into (?:her|his) (?:room|bed) |
    (?:learning disab\w*|ld\b).*\bpregnant | pregnant.*(?:learning disab\w*|\bld\b)"""),
    ("psychological abuse", r"""threat(?:en|ens|ened|ening|s)?\b | humiliat\w* | intimidat\w* |
    bull(?:y|ies|ied|ying)\b | scream\w* at\b | shout\w* at $P | swear\w* at\b | swore at\b |
    calls? (?:her|him) (?:names|useless|stupid|thick) | called names\b | harass\w* | flinch\w* |
    laugh\w* at (?:her|him|them)\b | mock(?:s|ed|ing) (?:her|him|them) | degrad\w* |
    takes? (?:her|his) phone | bangs? (?:doors|things|about) | goes (?:silent|quiet) when |
    (?:gets|getting|very|so) angry (?:with|at)\b | answers for (?:her|him)\b |
    talk\w* about (?:her|him|them|residents) in front of | follows? (?:her|him) everywhere |
    leave (?:her|his) (?:husband|partner|wife|boyfriend) | put in a home if |
    (?:\w+ll|will|threaten\w* to) put (?:her|him) in a home |
    if (?:she|he|they) (?:complains?|tells|says anything|reports?)\b |
    (?:being|been|was|is|are|were) made to\b(?! measure) | take (?:me|her|him) away from |
    stop(?:s|ped) (?:her|him) (?:seeing|going out|talking to|having (?:visitors|friends|money)) |
    reads? (?:his|her) (?:post|letters|mail) |
    makes? (?:her|him|them) (?:do|sleep|hold|carry|hand|sign|give|pay|stay|work|live)\b"""),
    ("fear of someone", r"""$FEAR (?:of|by) $PERSON\b |
    $FEAR (?:of|by) her(?:\Z| (?:and|when|so|but)) |
    $FEAR to (?:ask|tell|say|speak|complain|report|go home|be at home|upset|ring|call|phone) |
    (?:looks?|looked|seems?|seemed|feels?|felt|is|was|hes|shes|very|really|so|too) $FEAR\b$NOTOF |
    (?:doesnt|does not|dont|do not|didnt) feel safe (?:at home|with) |
    (?:she|he|pt|client|they) (?:doesnt|does not|dont|do not) feel safe"""),
    ("financial abuse", r"""financial(?:ly)? (?:abus\w*|exploit\w*) | taking advantage |
    (?:takes|taking|took|taken|stole|stolen|steals?|stealing|stealin|nick\w*|pocket\w*) (?:all
    )?(?:of )?(?:her|his|their|mums|dads|pts) (?:\w+ )?$MONEY\b |
    # someone else holding the money; "pt has his savings over 23k" is a means test
    $PERSON (?:has|keeps|holds?|got) (?:all )?(?:of )?(?:her|his|their|mums|dads|pts) (?:\w+
    )?(?:money|pension|savings|benefits|cash|bank ?cards?|cards? and pin|pin)\b |
    (?:steals?|stealin\w*|stole|nick(?:s|ed|ing)|rob(?:s|bed|bing)?) (?:\w+ )?from (?:her|him|them|pt|
    client|mum|dad)\b | robb(?:ed|ing) (?:her|him|them|pt|client|mum|dad)\b |
    helping (?:him|her)self | money (?:\w+ )?(?:going|gone|goes|went) missing |
    missing (?:money|cash|pension) | scam\w* | fraud\w* | change (?:her|his) will\b |
    will (?:was )?changed | unpaid bills | bills? (?:\w+ )?unpaid | no money (?:for food|left) |
    got nothing left | pretending to be | borrow\w* (?:money|and never) |
    sending (?:him |her )?money to | buys? (?:him|her)self |
    misus\w* (?:the |her |his )?(?:lpa|power|money|funds) | let\w* (?:him|her)self in |
    bank (?:account|balance) (?:is |was )?(?:empty|emptied|drained) | food and money |
    hand (?:\w+ )?over (?:her|his|their) $MONEY |
    (?:he|they|$PERSON) (?:keeps|pockets) (?:all )?(?:of )?the (?:\w+ )?$MONEY\b |
    nothing left (?:\w+ ){0,2}for (?:\w+ ){0,2}(?:food|bills|shopping|rent|gas|electric\w*) |
    (?:taking|took|takes) (?:her|his|their) (?:food|money|cash)\b |
    (?:wont|doesnt|does not|dont) let (?:her|him|them) (?:see|have|use|touch|access)
    (?:her|his|their) (?:own )?$MONEY |
    getting (?:her|him) to (?:buy|pay|sign|give) | sign (?:\w+ )?(?:house|home) over |
    spends? (?:\w+ ){0,3}on (?:him|her|them)sel(?:f|ves) |
    asked (?:\w+ ){0,2}for (?:a loan|money|cash) |
    (?:has|have|had) to give (?:him|her|them) (?:money|cash|\d+) |
    giv\w* (?:all )?(?:her|his|their) $MONEY to | gave (?:her|him|them) (?:\d+|money|cash) |
    won the lottery | lottery win | prize draw |
    selling (?:her|his|their) (?:furniture|house|things|belongings|stuff|car|jewel\w*)"""),
    ("discriminatory abuse", r"""racis\w* | homophob\w* | transphob\w* | hate crime |
    because (?:of )?(?:he|she|they) (?:is |are |s )?(?:gay|black|muslim|jewish|trans|asian|disabled)
    |
    because of (?:his|her|their) (?:disability|race|religion|colour|sexuality)"""),
    ("organisational abuse", r"""poor care\b | bad practice\b | understaffed\b |
    staff (?:do|did) nothing | restrain(?:ing|ed|s)? (?:a|her|him|them|the|residents|pt|client)\b |
    (?:tie|ties|tied) (?:her|him|them) (?:to|in|into|down)\b |
    residents (?:not|left|are not|arent)\b | (?:isnt|arent|not) doing anything"""),
    ("neglect", r"""neglect\w* | acts? of omission |
    missed (?:\w+ ){0,2}(?:care )?(?:calls|visits)\b |
    # repeated medication errors by a provider: neglect by omission, not one slip
    (?:\d+(?:st|nd|rd|th)|another|repeated|several|multiple|more|many|lots of|numerous)
    (?:$MEDS|med|dosing|dose) (?:errors?|mistakes?|incidents?)\b |
    (?:$MEDS|med) (?:errors?|mistakes?) (?:again|keep|keeps|every)\b |
    # active, with a person as object, so "pump not turning on" stays quiet
    (?:not|never|isnt|arent|wont|dont|didnt|nobody|no one)(?: is| are| been)?
    (?:giving|give|feeding|feed|turning|turn|repositioning|reposition|changing|change|washing|wash)
    (?:her|him|them|pt|client|residents|the residents)\b |
    not (?:being |been )?(?:fed|turned|repositioned|changed|washed)\b |
    not (?:being |been )?given (?:her|his|their|any) (?:food|drinks?|$MEDS) |
    (?:hasnt|has not|havent|not) (?:been )?(?:fed|eaten|had (?:a )?(?:drink|food|meal)) |
    (?:hasnt|has not|havent|not) had (?:her|his|their|any) (?:food|drinks?|$MEDS) |
    without (?:any |her |his |their )?(?:food|drinks?|water|fluids|meals|$MEDS)\b | no food\b |
    fridge (?:is )?empty | same clothes | smells? of urine | withh[eo]ld\w* |
    (?:wet|soiled|dirty|soaked) (?:pads?|clothes|clothing|bed|sheets)\b | kept using |
    covered in (?:sores|urine|faeces) | sores from being left | wont cook for |
    (?:lying|sitting|sat|left) in (?:her |his |their )?(?:own )?(?:urine|faeces|poo|mess) |
    eats (?:her|his) (?:meals|food|dinner) |
    (?:fell|fallen|slipped|dropped) out of (?:the )?(?:sling|hoist) |
    (?:didnt|did not|hasnt|havent|never) (?:tell|told|inform\w*|report\w*) (?:anyone|anybody|the
    family|the gp) |
    wrong $MEDS |
    (?:not|hasnt|havent|wasnt|no one|nobody) (?:has |have )?(?:been|come|came|turned up) (?:in
    |round )?for (?:\d+|days|two|three|a week) |
    not calling (?:the )?(?:gp|doctor|ambulance) |
    call bells? (?:off|out of reach|not answered|ignored|unanswered) |
    turn\w* (?:the )?call bells? off | (?:no|without) (?:electric|electricity|gas|water|heating)\b |
    carers? (?:wasnt|werent|didnt|never|not) (?:there|turn up|come|arrive|show) |
    (?:refuses|refusing|wont|will not) (?:to )?let (?:the )?(?:district
    nurses?|dns?|nurses?|carers|doctor|gp|ot|anyone|paramedics) in\b |
    # equipment or aids taken away, not the store collecting an old commode
    (?:took|taken|takes|take|hides?|hid|hiding|wont let (?:her|him) use) (?:away )?(?:her|his|the)
    (?:\w+ )?$AIDS"""),
    ("over-medication", r"""over ?(?:medicat|sedat)\w* | sedat(?:e|es|ed|ing) (?:her|him|them) |
    (?:her|him|them) sedated | drugg(?:ed|ing) | more $MEDS than | giving (?:\w+ ){0,2}too much |
    giv\w* (?:her|him) (?:\w+ )?(?:sleeping|extra) $MEDS | too much (?:morphine|sedation|$MEDS) |
    only gives? (?:them|her|him) (?:\w+ )?when (?:he|she|they) wants?"""),
    ("left alone unsafe", r"""left (?:\w+ )?home alone\b | home alone all |
    left (?:alone|on (?:her|his|their) own|unattended|outside|sat|sitting|lying)\b |
    left in (?:bed|the dark|the cold)\b | left (?:on|in) (?:the|a) (?:commode|toilet|floor|chair) |
    wander\w* (?:the streets|in the road|outside at night|the roads) | left in the same position |
    left (?:\w+ ){0,3}for (?:hours|ages|days|\d+ (?:hours|hrs|days)) |
    (?:leaves?|leaving) (?:her|him|them) (?:alone|in bed|on (?:her|his) own)\b |
    (?:outside|rain|street|road|cold) (?:\w+ )?in (?:her|his) (?:slippers|nightie|pyjamas) |
    locked out (?:\w+ ){0,3}in the (?:rain|cold|dark|night) |
    found (?:\w+ )?(?:outside|wandering|in the (?:street|road|rain|garden) at)"""),
    ("locked in / confined", r"""lock(?:s|ed|ing)? $P(?: \w+)? in\b | padlock\w* |
    locked in (?:his|her|the|a|their)\b | locks? (?:the|her|his) (?:door|room) and\b |
    kept (?:locked|inside)\b | (?:she|he|they|pt|client|mum|dad) (?:is |was |are |being )+kept in |
    kept in (?:his|her|their) (?:room|bedroom) | changed the locks | locks? on the outside |
    not allowed (?:out|to (?:go|leave|see|eat|drink|speak|talk|phone|ring)) |
    keeps (?:ringing|calling|phoning) (?:999|police) |
    (?:wont|doesnt|does not|will not|dont) let (?:her|him|anyone|anybody|people|the
    carers|carers|us|me) (?:visit|see|in|out|go|leave|have|back)\b |
    (?:wont|doesnt|will not) let (?:me|us) (?:see|speak|talk) (?:to )?(?:her|him) |
    keep\w* (?:her|him|mum|dad) (?:upstairs|in (?:her|his) room|indoors|hidden) |
    so (?:visitors|nobody|no one|people) (?:dont|cant|wont) see"""),
    ("self-neglect / hoarding", r"""hoard\w* | squalor\b | self ?neglect\w* | filth\w* |
    starv\w* | clutter (?:image|rating|scale) | piled (?:up )?(?:to|high) | eating out of tins |
    living off | full of (?:rubbish|junk|bags|stuff) | (?:rats|mice|vermin|maggots|infest\w*)\b |
    not (?:washing|eating) (?:or|and|for)\b | not looking after (?:him|her)self |
    (?:wont|doesnt|refuses to|will not) accept (?:any )?help |
    (?:cat|dog|animal) (?:mess|faeces|poo) | sleeping on (?:the|a mattress on the) floor |
    (?:sleeping|sat|sitting) in (?:his|her) coat | (?:house|flat|home|room) (?:stinks|reeks) |
    (?:house|flat|home) is (?:\w+ )?(?:cold|damp|dirty|filthy|freezing)"""),
    ("exploitation", r"""cuckoo\w* | county lines\b | modern slavery\b | slave\w* |
    traffick\w* | exploit\w* | (?:dealing|selling|deal|sell|carry|carrying) drugs\b | drug deal\w* |
    (?:took|taken|takes|has|holding|kept|keeps) (?:her|his|my|their) passport |
    work\w* (?:\w+ ){0,4}for (?:free|nothing|no pay) | no (?:pay|wages)\b | gangs?\b |
    strangers (?:staying|living|moved) | coming and going at all |
    (?:people|men|lads|strangers|visitors) (?:\w+ )?coming and going |
    moved into (?:my |her |his )?(?:clients|pts|her|his) (?:flat|house|home) | cannabis | heroin |
    cocaine | crack den | weed\b | make (?:her|him|them) hold\b |
    (?:lads|men|strangers) (?:\w+ )?in (?:the|her|his) (?:flat|house) |
    (?:using|uses) (?:\w+ ){0,2}address"""),
    ("domestic abuse", r"""domestic (?:abus\w*|violen\w*) | dv\b | coerci\w* | marac\b |
    (?:is|being|very|so) controlling | restraining order | non ?molestation |
    controlling (?:behaviour|relationship|partner|husband|wife|son|daughter) |
    controls? (?:all )?(?:of )?(?:her|his|the) (?:money|phone|finances|life) |
    checks? (?:her|his) phone | dash (?:risk|checklist|form)"""),
    ("self-harm / suicide", r"""suicid\w* | kill(?:ing|ed|s)? (?:him|her|my|them)sel(?:f|ves) |
    end (?:it all|(?:his|her|my|their) (?:own )?life|things)\b | self ?harm\w* |
    cut(?:s|ting)? (?:on )?(?:her|his) (?:arms|wrists) | cut(?:s|ting)? (?:him|her)self | overdos\w* |
    stockpil\w* | saving up (?:her|his) $MEDS | not wake up | jump(?:ing)? off |
    better off (?:without|dead) | (?:want|wants|wanna) to die | in front of a (?:train|bus|lorry) |
    (?:doesnt|dont|does not) (?:want|wanna) (?:to )?(?:be here|live|go on) |
    point (?:in |of )?(?:living|going on|life) | take (?:her|his|my) own life |
    hang (?:him|her)self\b | had enough of (?:life|living|it all) |
    (?:taking|take|took|swallow\w*) all (?:of )?(?:her|his|my|their|the) $MEDS |
    all (?:to )?be over\b | if (?:i|he|she) (?:was|were) gone |
    # carer at breaking point: a risk to the person cared for
    do something (?:she|he|they|i) (?:\w+ )?regret | had enough of looking after"""),
    ("disclosure", r"""(?:please )?dont tell (?:my|her|his|anyone|anybody) | disclosed\b |
    made a disclosure | disclosure of (?:abuse|harm) | promise (?:not to|to keep) |
    keep (?:it|this) (?:a )?secret | (?:begged|asked|told) me not to (?:tell|report|say) |
    not to tell (?:anyone|anybody|me|you)"""),
)

# Benign phrases blanked out before matching.
_GUARDS = r"""# a product feature; hypothetical harm from equipment; fragile skin; prevention
    $BRUISE(?:e|es)? ?(?:resistant|proof) | $BRUISE(?:e|es|ing)? (?:easily|easy) |
    (?:worried|worry|concerned) (?:it|the \w+|that \w+) (?:will|might|could|may) ${BRUISE}e |
    (?:stop|prevent|avoid|reduce) (?:\w+ ){0,3}$BRUISE\w* | (?:red|pressure|sling) marks\b |
    # an injury explained by equipment or by a fall the worker reports (not one someone else
    # explains away: "son says it was a fall" stays a concern)
    $BRUISE\w* (?:\w+ ){0,4}from (?:(?:the|her|his|a) )?(?:\w+ )?(?:footplates?|wheelchair|bed
    ?rails?|commode|frame|walker|stairlift) |
    $BRUISE\w* (?:(?!says|said|claims|told)\w+ ){0,3}(?:in|from|after) (?:a|the|her|his) fall |
    # an animal is not an abuser
    (?:threatening|aggressive|dangerous|vicious) dogs? |
    # a service or its guidance named, not a person's home described ("when does the hoarding
    # panel meet"); "hoarder" or the state of the home still count
    hoarding (?:panel|protocol|policy|pathway|guidance|procedure|toolkit|team|meeting)s? |
    # the housing duty's term (Housing Act 1996), not a threat from someone
    threat(?:en|ened|s)? (?:with|w|of) (?:homelessness|eviction|repossession) |
    # the person's own history or habits, not harm by someone else
    (?:alcohol|drug|substance) (?:abuse|misuse) | neglects? (?:her|his|their) exercises |
    end of life\b | washing machine\b | (?:heart|panic) attack"""


def _compile(table: str) -> re.Pattern[str]:
    """One pattern from a table of " | "-separated alternatives, each anchored at a word start."""
    lines = [line.strip() for line in table.splitlines() if not line.strip().startswith("# ")]
    alts = [alt.strip() for alt in " ".join(lines).split(" | ")]
    pattern = "|".join(r"\b" + alt for alt in alts if alt)
    return re.compile(Template(pattern).substitute(_BLOCKS))


_COMPILED = tuple((label, _compile(table)) for label, table in _RULES)
_GUARD = _compile(_GUARDS)
_WORD = re.compile(r"[a-z]+")


@lru_cache(maxsize=4096)
def _fix(word: str) -> str:
    """Correct a near miss of a key word ("bruses" -> "bruises"); leave other words alone."""
    if len(word) < 5 or word in _REAL_WORDS or word in _KEY_WORDS:
        return word
    # "abuze", "bruzed": a z for an s is one sound, but difflib scores it under the cutoff
    word = word.replace("z", "s") if word.replace("z", "s") in _KEY_WORDS else word
    close = difflib.get_close_matches(word, _KEY_WORDS, n=1, cutoff=0.85)
    return close[0] if close else word


def normalise(text: str) -> str:
    """Lower case, apostrophes dropped ("don't" -> "dont"), other punctuation to spaces,
    whitespace collapsed, misspelt key words corrected."""
    text = re.sub(r"['\u2019`]", "", text.lower())
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return _WORD.sub(lambda m: _fix(m.group()), text)


def detect(question: str) -> SafeguardingSignal:
    """Flag a question that describes a possible risk to a person, with the labels that fired."""
    text = _GUARD.sub(" ", normalise(question))
    reasons = tuple(label for label, rx in _COMPILED if rx.search(text))
    return SafeguardingSignal(concern=bool(reasons), reasons=reasons)
