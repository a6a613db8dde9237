"""Jailbreak and injection cues in German, French, Spanish, Italian and Portuguese.

English rules name phrases; translated attacks reword them freely, and a rule per
phrase per language would be a block list five times over. Instead each *kind* of cue
(drop the instructions, the instructions no longer apply, without filters, never
refuse, the setup, word for word, a privileged mode, a note to the AI...) is one pattern
over a vocabulary table of the five languages, matched on the skeleton (lower case,
accents dropped: "wörtlich" is "wortlich", "instruções" is "instrucoes").

Two uses:
- `RULES`: the few kinds that are an attack on their own, as in English (dropping
  *your* or the *previous* instructions, asking for the system prompt, a note addressed
  to the AI inside a document);
- `LANGUAGE_CUES`: every kind, counted over the whole text like the stacked refusal
  cues (`stacked_weight`). One kind is something an honest user may write ("ohne
  Filter" of a photo, "mot pour mot" of a quotation); two different kinds in one text
  ("forget the rules" and "without censorship", "your system prompt" and "word for
  word") are what translated jailbreaks are made of. Weak kinds ("from now on", "you
  are now", "instead", "answer only with") count half: they only add up in company.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vasini_guard.injection_signals import (
    EXTRACTION,
    INDIRECT,
    OVERRIDE,
    Rule,
    Signal,
)
from vasini_guard.substrings import trie_alternation

LANGUAGE_CUES_SIGNAL = Signal("stacked non-English cues", "jailbreak")

# --- vocabulary (skeleton spelling: lower case, no accents) ------------------------------

_DROP = (
    r"(?:ignorier\w*|vergiss|vergessen sie|missacht\w*|verwirf|uberspring\w*|ignore[zs]?"
    r"|oublie[zs]?|ne tiens pas compte|ne tenez pas compte|fais abstraction|faites abstraction"
    r"|ignora(?:te|r)?|olvida(?:te|r)?|olvide(?:se)?|haz caso omiso|haga caso omiso|omite"
    r"|descarta|dimentica(?:te|re)?|trascura|non seguire|esquec[ae]|desconsider[ae]"
    r"|nao sig[ae])"
)
_DROP_WORDS = (
    "ignor", "vergiss", "vergessen", "missacht", "verwirf", "uberspring", "oublie",
    "tiens pas", "tenez pas", "abstraction", "olvid", "caso omiso", "omite", "descarta",
    "dimentic", "trascura", "non seguire", "esquec", "desconsider", "nao sig",
)  # fmt: skip
# Whose instructions: "your", "the previous", "all": what makes dropping them an override.
_THEIRS = (
    r"(?:deine[nrms]?|ihre[nrms]?|bisherigen|vorherigen|vorigen|obigen|alten|ursprunglichen"
    r"|samtliche[n]?|alle[n]?|tes|vos|toutes|tous|precedentes|anterieures|initiales|tus|sus"
    r"|todas|todos|anteriores|previas|iniciales|originales|tue|tuoi|sue|suoi|tutte|tutti"
    r"|precedenti|iniziali|originali|tuas|suas|teus|seus|iniciais)"
)
# Any determiner: enough for a kind that counts only in company. Not the Portuguese "a"
# and "o", which would let English ("ignore a few instructions") in.
_DETERMINER = (
    rf"(?:{_THEIRS}|die|den|der|les|la|le|l'|ces|las|los|el|il|gli|os|de|des|del|do|da"
    r"|della|delle)"
)
_DIRECTIVES = (
    r"(?:anweisung(?:en)?|instruktion(?:en)?|vorgaben?|regeln|richtlinien|befehle|anordnungen"
    r"|systemprompt|systemanweisung(?:en)?|consignes|instructions|regles|directives"
    r"|instrucciones|instruccion|normas|reglas|directrices|indicaciones|ordenes|istruzioni"
    r"|regole|direttive|indicazioni|instrucoes|regras|diretrizes|orientacoes)"
)
# The user's request, which an injected instruction tells the AI to drop.
_USER_TASK = (
    r"(?:auftrag|anfrage|aufgabe|demande|tache|peticion|solicitud|tarea|richiesta|compito"
    r"|pedido|tarefa)"
)
_SETUP = (
    r"(?:system-?prompt|systemanweisung(?:en)?|systemnachricht|(?:versteckten|geheimen"
    r"|ursprunglichen|anfanglichen|internen) (?:anweisungen|regeln|instruktionen|vorgaben)"
    r"|prompt (?:du )?systeme|message (?:du )?systeme|instructions (?:cachees|initiales"
    r"|secretes|internes|du systeme|systeme)|avant mon premier message|prompt del sistema"
    r"|mensaje del sistema|instrucciones (?:ocultas|iniciales|secretas|internas|del sistema"
    r"|que recibiste)|antes de (?:esta|nuestra) conversacion|prompt di sistema|messaggio di"
    r" sistema|istruzioni (?:nascoste|iniziali|segrete|interne|di sistema|ricevute)|prompt d[eo]"
    r" sistema|mensagem d[eo] sistema|instrucoes (?:de sistema|do sistema|ocultas|iniciais"
    r"|secretas|internas|que recebeu))"
)
_SETUP_WORDS = (
    "systemprompt", "system-prompt", "systemanweisung", "systemnachricht", "versteckten",
    "geheimen", "ursprunglichen", "anfanglichen", "internen", "systeme", "premier message",
    "sistema", "instrucciones", "istruzioni", "instrucoes", "conversacion",
)  # fmt: skip
_REVEAL = (
    r"(?:zeig\w*|gib|nenn\w*|wiederhole?|kopiere?|affiche[zs]?|montre[zs]?|revele[zs]?"
    r"|repete[zs]?|recopie[zs]?|ecri[st]|muestra\w*|revela\w*|repite\w*|copia\w*|escribe"
    r"|dime|mostra\w*|rivela\w*|ripeti\w*|scrivi|mostre|revele|repita|copie|escreva)"
)
_VERBATIM = (
    r"(?:wortlich|wort fur wort|mot pour mot|mot a mot|textuellement|integralement"
    r"|palabra por palabra|textualmente|literalmente|parola per parola|testualmente"
    r"|alla lettera|palavra por palavra|exatamente|na integra)"
)
_VERBATIM_WORDS = (
    "wortlich", "wort fur wort", "mot pour mot", "mot a mot", "textuellement",
    "integralement", "palabra por palabra", "textualmente", "literalmente",
    "parola per parola", "testualmente", "alla lettera", "palavra por palavra",
    "exatamente", "na integra",
)  # fmt: skip
_GUARDS = (
    r"(?:filter\w*|zensur|einschrankung\w*|beschrankung\w*|grenzen|regeln|richtlinien"
    r"|filtres?|censure|restrictions?|limites?|regles|filtros?|censura|restricciones"
    r"|reglas|limites|filtri|restrizion[ei]|limiti|regole|restricoes|regras)"
)
_GUARD_WORDS = (
    "filt", "zensur", "einschrankung", "beschrankung", "grenzen", "regeln", "richtlinien",
    "censur", "restrict", "limit", "regles", "reglas", "restrizion", "regole", "restricoes",
    "regras",
)  # fmt: skip
_MODES = (
    r"(?:entwickler|developpeur|administrateur|desarrollador|administrador|sviluppatore"
    r"|amministratore|desenvolvedor|dios|dieu|deus|sans restrictions?|sin restricciones"
    r"|senza restrizioni|sem restricoes|jailbreak|debug|root|god|dan|admin)"
)
_AI = (
    r"(?:ki|ia|assistent\w*|assistant|asistente|assistente|bot|chatbot|modell|modele|modelo"
    r"|modello)"
)
_AI_READING = (
    r"(?:liest|lit|lea|lee|legge|leia|le|zusammenfasst|resume|resuma|riassume|verarbeitet"
    r"|analysiert|traite|analyse|procesa|analiza|elabora|analizza|processa|analisa)"
)

# --- kinds of cue -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LanguageCue:
    """One kind of cue: its pattern, substrings one of which every match holds
    (`needs`, as `Rule.needs`) and whether it only counts half (`weak`)."""

    pattern: re.Pattern[str]
    words: tuple[str, ...]
    weak: bool = False

    @property
    def needs(self) -> tuple[tuple[str, ...], ...]:
        return (self.words,)


_NOW_WORDS = (
    "ab sofort", "ab jetzt", "von nun an", "maintenant", "desormais", "dorenavant",
    "a partir de ahora", "desde ahora", "desde este momento", "de ahora en adelante",
    "d'ora in poi", "da ora in poi", "da adesso", "a partir de agora", "de agora em diante",
    "daqui em diante",
)  # fmt: skip

_ADDRESSED_TO_AI = (
    r"\b(?:hinweis|nachricht|anweisungen?|notiz|achtung|note|message|instructions?"
    r"|nota|mensaje|instrucciones|aviso|messaggio|istruzioni|avviso|mensagem|instrucoes)"
    rf" (?:an|fur|pour|a|para|per) (?:die |den |das |l'|le |la |el |il |lo |o )?{_AI}\b"
    rf"|\b{_AI},? (?:die|der|qui|que|che) (?:\w+ ){{0,3}}?{_AI_READING}\b"
)

LANGUAGE_CUES: tuple[LanguageCue, ...] = (
    # Drop the instructions, or the user's request.
    LanguageCue(
        re.compile(
            rf"\b{_DROP} (?:\w+ ){{0,3}}?{_DETERMINER} (?:\w+ ){{0,2}}?(?:{_DIRECTIVES}"
            rf"|{_USER_TASK})\b|\b(?:vergiss|ignoriere) (?:\w+ ){{0,2}}?alles,? was (?:man )?dir"
            r"|\b(?:oublie|ignore)[zs]? tout ce qu|\b(?:olvida|ignora) todo lo\b"
            r"|\b(?:dimentica|ignora) tutto (?:quello|cio) che\b"
            r"|\b(?:esqueca|ignore) tudo (?:o )?que\b"
        ),
        _DROP_WORDS,
    ),
    # The instructions no longer apply.
    LanguageCue(
        re.compile(
            rf"\b{_DIRECTIVES} (?:\w+ ){{0,3}}?(?:gelten (?:ab sofort )?nicht mehr"
            r"|sind (?:nicht mehr gultig|aufgehoben|ungultig)|ne s'appliquent plus"
            r"|ne sont plus valables|sont annulees"
            r"|ya no (?:se )?(?:aplican|son validas|valen)|quedan anuladas|non valgono piu"
            r"|non sono piu valide|sono annullate|(?:ja )?nao (?:se )?(?:aplicam|valem) mais"
            r"|foram canceladas)\b"
        ),
        (
            "nicht mehr",
            "aufgehoben",
            "ungultig",
            "plus",
            "annul",
            "ya no",
            "non valgono",
            "non sono piu",
            "nao ",
            "cancelad",
        ),
    ),
    # Without filters, censorship, restrictions; or they are switched off.
    LanguageCue(
        re.compile(
            r"\b(?:ohne|keine|sans|sin|senza|sem|nessun[ao]?|ningun[ao]?|aucune?)"
            rf" (?:\w+ ){{0,2}}?{_GUARDS}\b|\ban keine (?:\w+ )?(?:regeln|richtlinien|vorgaben)\b"
            rf"|\b{_GUARDS} (?:\w+ ){{0,4}}?(?:deaktiviert|aufgehoben|abgeschaltet|desactivee?s?"
            r"|desactivad[ao]s?|desativad[ao]s?|disattivat[aeio]|disabilitat[aeio]|levees?"
            r"|suspendu\w*|suspendid\w*|sospes[aeio])\b"
        ),
        _GUARD_WORDS,
    ),
    # Never refuse.
    LanguageCue(
        re.compile(
            r"\b(?:nie|niemals|jamais|nunca|mai|ni|nao) (?:\w+ ){0,3}?(?:ablehn\w*|verweiger\w*"
            r"|refuser|refuses|refusez|refus|niegues|negaras|negarte|rechaz\w*|rechaces"
            r"|rifiut\w*|recus\w*)\b|\blehn\w* (?:\w+ ){0,2}?nie\b|\bno te (?:niegues|negaras)\b"
            r"|\bnon rifiut\w* mai\b"
        ),
        (
            "ablehn",
            "verweiger",
            "lehn",
            "refus",
            "niegue",
            "negar",
            "rechaz",
            "rechac",
            "rifiut",
            "recus",
        ),
    ),
    # No warnings.
    LanguageCue(
        re.compile(
            r"\b(?:ohne|keine|sans|sin|senza|sem|ni|no) (?:\w+ ){0,2}?(?:warnung\w*|warnhinweis\w*"
            r"|avertissements?|d'avertissements?|mises? en garde|advertencias?|avvertenz\w*"
            r"|avvisi|avisos?|ressalvas)\b"
        ),
        (
            "warn",
            "avertissement",
            "mise en garde",
            "mises en garde",
            "advertencia",
            "avvertenz",
            "avvisi",
            "aviso",
            "ressalva",
        ),
    ),
    # The model's setup.
    LanguageCue(re.compile(rf"\b{_SETUP}\b"), _SETUP_WORDS),
    # Word for word.
    LanguageCue(re.compile(rf"\b{_VERBATIM}\b"), _VERBATIM_WORDS),
    # A privileged mode.
    LanguageCue(
        re.compile(
            rf"\b(?:modus|mode|modo|modalita) (?:de |del |di |do )?{_MODES}\b"
            r"|\b(?:entwickler|admin|gott|debug)-?modus\b"
        ),
        ("modus", "mode", "modo", "modalita"),
    ),
    # A note addressed to the AI, or to whichever AI reads the text.
    LanguageCue(
        re.compile(_ADDRESSED_TO_AI),
        # Written with the spaces or articles around them: "ki" and "ia" are inside many
        # English words ("skills", "social").
        (
            " ki ",
            " ki,",
            "l'ia",
            " ia ",
            " ia,",
            "l'assistant",
            "assistent",
            "asistente",
            "assistente",
            " bot",
            "modell",
            "modele",
            "modelo",
        ),
    ),
    # Show me (weak: ordinary on its own, telling next to the setup).
    LanguageCue(
        re.compile(rf"\b{_REVEAL}\b(?:-moi)?"),
        (
            "zeig",
            "gib",
            "nenn",
            "wiederhol",
            "kopier",
            "affich",
            "montr",
            "revel",
            "repet",
            "recopi",
            "ecri",
            "muestr",
            "repit",
            "copi",
            "escrib",
            "dime",
            "mostr",
            "rivel",
            "ripet",
            "scrivi",
            "repit",
            "escrev",
        ),
        weak=True,
    ),
    # From now on (weak).
    LanguageCue(
        re.compile(
            r"\b(?:ab sofort|ab jetzt|von nun an|a partir de maintenant|desormais|dorenavant"
            r"|a partir de ahora|desde ahora|desde este momento|de ahora en adelante"
            r"|d'ora in poi|da ora in poi|da adesso|a partir de agora|de agora em diante"
            r"|daqui em diante)\b"
        ),
        _NOW_WORDS,
        weak=True,
    ),
    # You are now (weak).
    LanguageCue(
        re.compile(
            r"\b(?:du bist|tu es|tu seras|eres|seras|ahora eres|sei|sarai|voce (?:agora )?"
            r"(?:e|sera|esta))\b"
        ),
        (
            "du bist",
            "tu es ",
            "tu seras",
            " eres ",
            " eres,",
            " seras ",
            " sei ",
            " sei,",
            " sarai ",
            "voce ",
        ),
        weak=True,
    ),
    # Instead / answer only with (weak): the task switched for a fixed output.
    LanguageCue(
        re.compile(
            r"\b(?:stattdessen|statt dessen|plutot|a la place|en su lugar|en lugar de eso"
            r"|en cambio|invece|em vez disso|ao inves disso)\b|\b(?:antworte|reponds|repondez"
            r"|responde|responda|rispondi|risponda|contesta) (?:\w+ ){0,2}?(?:nur|uniquement"
            r"|seulement|solo|solamente|unicamente|soltanto|apenas|somente) (?:mit|par|avec|con"
            r"|com)\b"
        ),
        (
            "stattdessen",
            "statt dessen",
            "plutot",
            "a la place",
            "en su lugar",
            "en lugar",
            "en cambio",
            "invece",
            "em vez",
            "ao inves",
            " nur ",
            "uniquement",
            "seulement",
            " solo ",
            "solamente",
            "unicamente",
            "soltanto",
            "apenas",
            "somente",
        ),
        weak=True,
    ),
)

STRONG_CUES = tuple(cue for cue in LANGUAGE_CUES if not cue.weak)
WEAK_CUES = tuple(cue for cue in LANGUAGE_CUES if cue.weak)

# Common words of the five languages that English hardly uses (with their spaces): the
# rules and kinds are looked for only in a text holding one, so English text skips them.
FUNCTION_WORDS = (
    " und ", " der ", " das ", " ist ", " nicht ", " ich ", " mit ", " dir ", " du ", " sie ",
    " ein ", " eine ", " zu ", " les ", " une ", " pour ", " avec ", " vous ", " tu ", " tes ",
    " qui ", " que ", " et ", " le ", " la ", " los ", " las ", " una ", " para ", " por ",
    " tus ", " el ", " en ", " che ", " della ", " sono ", " il ", " con ", " gli ", " di ",
    " non ", " uma ", " nao ", " voce ", " os ", " ao ", " sei ", " em ", " com ", " da ",
    " alle ", " deine ", " ihre ", " toutes ", " tous ", " vos ", " todas ", " todos ", " sus ",
    " tutte ", " tutti ", " tuoi ", " suas ", " seus ", " tuas ",
)  # fmt: skip
# One search, rather than more words in the pass every text gets; shaped as a trie
# between two spaces (a plain alternation is tried word by word at every space).
FUNCTION_WORD = re.compile(f" {trie_alternation(word.strip() for word in FUNCTION_WORDS)} ")

# How much the kinds found weigh together (weak kinds count half); one kind alone is
# left to the rules.
STACKED_WEIGHTS = {2.0: 0.8, 3.0: 0.9}


def stacked_weight(strong: int, weak: int) -> float:
    """What `strong` and `weak` different kinds of cue in one text weigh together: at
    least one strong kind is needed."""
    if strong == 0:
        return 0.0
    count = strong + weak / 2
    reached = [weight for needed, weight in STACKED_WEIGHTS.items() if count >= needed]
    return max(reached, default=0.0)


def _rule(signal: Signal, weight: float, pattern: str) -> Rule:
    # No `needs`: these rules are tried only in a text holding `FUNCTION_WORDS`.
    return Rule(signal, weight, re.compile(pattern))


# Kinds that are an attack on their own, as the English rules are.
RULES: tuple[Rule, ...] = (
    _rule(
        OVERRIDE,
        0.85,
        rf"\b{_DROP} (?:\w+ ){{0,2}}?{_THEIRS} (?:\w+ ){{0,2}}?{_DIRECTIVES}\b",
    ),
    _rule(
        EXTRACTION,
        0.85,
        rf"\b{_REVEAL}(?:-moi| mir| me)? (?:\w+ ){{0,4}}?{_SETUP}\b",
    ),
    _rule(INDIRECT, 0.55, _ADDRESSED_TO_AI),
)
