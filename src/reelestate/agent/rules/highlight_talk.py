"""Words around a listing that are not features of the property, and what a feature looks like.

A highlight is something a buyer would see or use in the property. What agents write around
it falls into three kinds that never are one:

- sale talk: the deal, the agent and the process ("priced to sell", "bring your offers",
  "seller will consider concessions", "cash or conventional", "agent owned", "showings start
  Friday", "one-year home warranty", "to be built", "est. completion");
- status talk: where the sale stands ("under contract", "pending", "back on market",
  "coming soon", "taking backups");
- location talk: what is near the property rather than in it ("close to schools", "minutes
  to downtown", "walk to the park", "steps to the beach"). The video shows the property, and
  claims about nearby schools or who lives around are where fair-housing reviews start (MLS
  rules treat school and neighbourhood claims as steering risks), so none becomes a highlight.

"No HOA" is kept: it is a fact of the property a buyer weighs, with no field of its own.

A phrase the vocabulary of property things does not know is still a feature when it reads as
a noun phrase ("koi pond", "bunkhouse", "encapsulated crawlspace"): a few words, no clause
(pronouns, verbs of the sale, times), ending in a noun rather than an adjective or adverb
("land owned", "pets ok" and "move-in ready" end in neither).
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

SALE_TALK = re.compile(
    r"\b(?:just\s+listed|new(?:ly)?\s+list(?:ed|ing)|listing|listed|list\s+price|asking|"
    r"price[ds]?|pricing|reduced|reduction|improvement|motivated|seller|won'?t\s+last|"
    r"priced\s+to\s+sell|open\s+house|showings?|offers?|best\s+offer|cash|as[\s-]is|"
    r"negotiable|firm|mls|agent|call|text\s+me|contact|for\s+sale|on\s+the\s+market|"
    r"fixer|opportunity|don'?t\s+miss|welcome\s+home|hurry|sold|buyers?|investors?|"
    r"video|reel|photos?|please|thanks?|hi|hello|hey|new\s+construction|build\s+your|"
    r"country\s+living|new\s+to\s+(?:the\s+)?market|at\s+its\s+finest|rare\s+find|thx|"
    r"forgot|btw|(?<!no\s)hoa|tax(?:es)?|fees?|^available|available\s+(?:now|immediately|"
    r"(?:on\s+)?\w+\s+\d)|skip\s+that|sorry|english|"
    r"typo|correction|actually|oops|wait|lot\s+size|year\s+built|address|sq\s*ft|"
    r"units?\s+total|quick\s+one|can\s+you|make\s+a|wats|ur|best|quick\s+close|closing|"
    r"last\s+(?:spring|summer|fall|winter|year|month|week)|"
    r"concessions?|financ(?:e|ing)|fha|va\s+loan|usda|conventional|mortgage|"
    r"apprais(?:al|ed)|warranty|inspect(?:ed|ion)|pre-?inspected|estate\s+sale|"
    r"furnish(?:ed|ings)?|furniture|starter|turn-?key|move[\s-]in|"
    r"to\s+be\s+built|new\s+build|under\s+construction|builder|incentives?|"
    r"(?:est(?:imated)?\.?\s+)?completion|buy-?down|rates?|"
    r"owner(?!['’]s\s+(?:suite|bath\w*|bedroom|retreat|closet|wing))|tenants?|occupied|"
    r"lease[ds]?|rent(?:ed|al)?(?!\s+(?:unit|suite|apartment|cottage))|income|cap\s+rate|roi|"
    r"obo|o\.b\.o|"
    r"appt|appointment|tours?|schedule|preview|dm|email|"
    r"pets?\s+(?:ok|allowed|welcome|friendly)|55\+|age[\s-]restricted|"
    r"home\s+sweet\s+home|attn|highest|remarks|details\s+below|info|"
    r"deal|steal|bargain|value|equity|potential|investment)\b|\b55\+",
    _I,
)
STATUS_TALK = re.compile(
    r"\b(?:under\s+contract|(?:sale\s+)?pending|contingent|back\s+on(?:\s+the)?\s+market|"
    r"coming\s+soon|active|taking\s+back-?ups?|back-?up\s+offers?|fell\s+(?:thr(?:u|ough))|"
    r"highest\s+(?:and|&)\s+best|multiple\s+offers|rcvd|received|due|sold|expired|"
    r"withdrawn|relisted|off\s+market)\b",
    _I,
)
LOCATION_TALK = re.compile(
    r"\b(?:close\s+to|near(?:by)?|(?:across|down)\s+the\s+(?:street|road)|around\s+the\s+corner|minutes?\s+(?:to|from|away)|mins?\s+(?:to|from|away)|"
    r"walk(?:ing|able)?\s+(?:distance\s+)?(?:to|from)|walk\s+score|steps\s+(?:to|from|away)|"
    r"blocks?\s+(?:to|from|away)|miles?\s+(?:to|from)|(?:easy|quick|convenient|close)\s+"
    r"access\s+to|convenient(?:ly)?\s+(?:to|located|near)|commuter?s?|proximity|location|"
    r"located|neighbou?rhood|community\s+(?:of|with)|schools?|school\s+district|shopping|"
    r"restaurants|downtown(?!\s+(?:views?|skyline|vistas?))|district|interstate|highway|"
    r"freeway|i-\d+|hospital|universit(?:y|ies)|campus|church|synagogue|mosque|temple)\b",
    _I,
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_CLAUSE_WORDS = _words(
    "i me my mine we our us you your yours he she his her they them their it's "
    "will would can could should must may might shall is are was were be been being am "
    "do does did don't won't can't isn't aren't wasn't didn't doesn't not "
    "bring come see call text email hurry enjoy imagine make take let get check visit "
    "tour need needs want wants love loves prefer prefers start starts begin begins "
    "today tonight tomorrow yesterday now soon asap week weekend weekends days "
    "monday tuesday wednesday thursday friday saturday sunday mon tues wed thu thurs fri sat "
    "am pm here there everything anything something what why how when who "
    "wow omg yay woohoo whoa boom hooray"
)
_NOT_HEAD = _words(
    "ready included available ok okay only allowed welcome negotiable new updated nice "
    "great good clean quiet huge large big small spacious open bright cozy perfect "
    "beautiful gorgeous stunning charming lovely well more much too all again yet one ones "
    "flat place condo unit apartment home house property residence listing "
    "private public original custom extra plenty lots tons throughout galore "
    "inside outside upstairs downstairs real true rare unique special amazing incredible "
    "fantastic community farm estate ranch homestead retreat compound getaway oasis paradise "
    "gem sanctuary haven penthouse build tiny mighty little cute hot"
)
_NOT_FIRST = _words("as like than so but if because since while just or nor yet")
_ED_NOUNS = _words("shed bed seed reed steed homestead watershed")


def not_a_feature(words: str) -> bool:
    """Sale, status or location talk: never a highlight, whatever it names."""
    return bool(SALE_TALK.search(words) or STATUS_TALK.search(words) or LOCATION_TALK.search(words))


def noun_phrase(words: str) -> bool:
    """Whether a phrase reads as a thing ("koi pond", "pipe fencing") rather than a clause
    or a description ("land owned", "pets ok", "home sweet home")."""
    tokens = re.findall(r"[a-z0-9][\w'’/+-]*", words.lower())
    if not 1 <= len(tokens) <= 5:
        return False
    if tokens[0] in _NOT_FIRST or any(t in _CLAUSE_WORDS for t in tokens):
        return False
    if any(t.isdigit() and len(t) >= 3 for t in tokens):
        return False
    last = tokens[-1].strip("'’")
    if not re.search(r"[a-z]{3}", last) or last in _NOT_HEAD:
        return False
    if last.endswith("ly") or (last.endswith("ed") and last not in _ED_NOUNS):
        return False
    return not last.endswith(("ous", "ful", "ive", "able", "ible"))
