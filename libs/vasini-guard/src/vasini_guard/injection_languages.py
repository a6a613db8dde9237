"""Jailbreak and injection cues in German, French, Spanish, Italian, Portuguese and Dutch
(and, for the refusal and mode kinds, Polish).

English rules name phrases; translated attacks reword them freely, and a rule per
phrase per language would be a block list six times over. Instead each *kind* of cue
(drop the instructions, the instructions no longer apply, without filters, never
refuse, don't apologise or say you can't, refusing costs points, the setup, word for
word, a privileged mode, a note to the AI, keep it from the user...) is one pattern over
a vocabulary table of the languages, matched on the skeleton (lower case, accents
dropped: "wörtlich" is "wortlich", "instruções" is "instrucoes"). A kind names its
ideas, not one sentence: the synonyms, politeness forms and word orders of each
language ("ne refuse jamais" as well as "jamais refuser", "weigert nooit" as well as
"nooit weigeren"), so that a new wording of an old attack is still recognised.

Two uses:
- `RULES`: the few kinds that are an attack on their own, as in English (dropping
  *your*, the *previous* or the instructions *you were given*, asking for the system
  prompt, a note addressed to the AI inside a document);
- `LANGUAGE_CUES`: every kind, counted over the whole text like the stacked refusal
  cues (`stacked_weight`). One kind is something an honest user may write ("ohne
  Filter" of a photo, "mot pour mot" of a quotation); two different kinds in one text
  ("forget the rules" and "without censorship", "your system prompt" and "word for
  word") are what translated jailbreaks are made of. Weak kinds ("from now on", "for
  this session", "you are now", "instead", "answer only with") count half: they only
  add up in company.
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
    r"(?:ignorier\w*|vergiss|vergesst|vergessen sie|missacht\w*|verwirf|uberspring\w*"
    r"|ignore[zs]?|oublie[zs]?|ne tiens pas compte|ne tenez pas compte|fais abstraction"
    r"|faites abstraction|laisse[zs]? tomber|mets de cote|mettez de cote|passe[zs]? outre"
    r"|ignora(?:te|r)?|olvida(?:te|r)?|olvide(?:se)?|haz caso omiso|haga caso omiso|omite"
    r"|descarta|deja(?:d)? de lado|deja a un lado|pasa por alto|prescinde"
    r"|dimentica(?:te|re)?|scordati|trascura|non seguire|lascia(?:te)? perdere"
    r"|metti da parte|accantona|esquec[ae]|desconsider[ae]|nao sig[ae]|deix[ae] de lado"
    r"|ponha de lado|vergeet|negeer)"
)
# Not when negated: "vergiss nicht die Regeln", "n'oublie pas les consignes", "non
# dimenticare le regole" say the opposite.
_DROPPING = (
    rf"(?<!\bnon )(?<!\bnao )(?<!\bno ){_DROP}"
    r"(?! (?:nicht|pas|niet|nooit|jamais|mai|nunca)\b)"
)
# Whose instructions: "your", "the previous", "all": what makes dropping them an override.
_THEIRS = (
    r"(?:deine[nrms]?|ihre[nrms]?|bisherigen|vorherigen|vorigen|obigen|alten|ursprunglichen"
    r"|samtliche[n]?|alle[n]?|tes|vos|toutes|tous|precedentes|anterieures|initiales|tus|sus"
    r"|todas|todos|anteriores|previas|iniciales|originales|tue|tuoi|sue|suoi|tutte|tutti"
    r"|precedenti|iniziali|originali|tuas|suas|teus|seus|iniciais|jouw|uw|eerdere|vorige"
    r"|oorspronkelijke)"
)
# The Dutch "je" ("your") is the French "je" ("I": "j'ignore si je respecte les regles"):
# it counts only right before the instructions ("vergeet je (oude) instructies").
_YOUR_NL = r"je (?:\w+ )?"
# Any determiner: enough for a kind that counts only in company. Not the Portuguese "a"
# and "o", which would let English ("ignore a few instructions") in.
_DETERMINER = (
    rf"(?:{_THEIRS}|die|den|der|les|la|le|l'|ces|aux|las|los|el|il|gli|os|de|des|del|do|da"
    r"|della|delle|dos|das|het)"
)
_DIRECTIVES = (
    r"(?:anweisung(?:en)?|instruktion(?:en)?|vorgaben?|(?:sicherheits|inhalts|nutzungs)?"
    r"(?:regeln|richtlinien)|befehle|anordnungen|systemprompt|systemanweisung(?:en)?"
    r"|consignes|instructions|regles|directives|lignes directrices|instrucciones|instruccion"
    r"|normas|reglas|directrices|indicaciones|ordenes|pautas|istruzioni|regole|direttive"
    r"|indicazioni|linee guida|instrucoes|regras|diretrizes|orientacoes|instructies"
    r"|richtlijnen|regels|aanwijzingen|systeemprompt)"
)
# The user's request, which an injected instruction tells the AI to drop.
_USER_TASK = (
    r"(?:auftrag|anfrage|aufgabe|demande|tache|peticion|solicitud|tarea|richiesta|compito"
    r"|pedido|tarefa|opdracht|verzoek)"
)
# Instructions the AI was given by someone else: as much "yours" as "your instructions".
# Never "I gave you": a user may take back their own instructions.
_GIVEN = (
    r"(?:(?:die|den|das) (?:man )?dir (?:\w+ ){0,3}?(?:gegeben|gesagt|vorgegeben|mitgegeben)"
    r"|(?:die|den|das) du (?:\w+ ){0,3}?(?:bekommen|erhalten) hast"
    r"|qu'on t'a (?:\w+ ){0,2}?(?:donne|fixe|impose|transmis)\w*|que tu as (?:\w+ ){0,2}?recu\w*"
    r"|que (?:te|le) (?:dieron|dio|han dado|pusieron|impusieron|indicaron)|que (?:has )?recibi"
    r"(?:ste|do)|che ti (?:hanno|ha|sono stat[ei]) (?:\w+ ){0,2}?(?:dat[eio]|impost[eio]"
    r"|fornit[eio])|che hai ricevuto|que (?:te|lhe) (?:deram|passaram|foram dadas)"
    r"|que (?:voce )?rece(?:beu|beste)|(?:die|dat) je (?:\w+ ){0,4}?(?:gekregen|ontvangen)"
    r"|die (?:men|ze) je (?:\w+ ){0,2}?gegeven)"
)
_SETUP = (
    r"(?:system-?prompt|systemanweisung(?:en)?|systeminstruktion(?:en)?|systemnachricht"
    r"|(?:versteckten|geheimen|ursprunglichen|anfanglichen|internen) (?:anweisungen|regeln"
    r"|instruktionen|vorgaben)|vor (?:unserem|diesem|dem) (?:gesprach|chat)|vor (?:unserer"
    r"|dieser) unterhaltung|vor meiner ersten nachricht"
    r"|prompt (?:du )?systeme|message (?:du )?systeme|instructions (?:cachees|initiales"
    r"|secretes|internes|du systeme|systeme)|(?:tes|vos) (?:consignes|regles|directives)"
    r" (?:cachees|initiales|secretes|internes|confidentielles)|avant mon premier message"
    r"|avant (?:notre|cette) (?:conversation|discussion)"
    r"|prompt del sistema|mensaje del sistema|instrucciones (?:ocultas|iniciales|secretas"
    r"|internas|del sistema|que recibiste)|tus (?:reglas|normas|directrices) (?:ocultas"
    r"|iniciales|secretas|internas|confidenciales)|antes de (?:esta|nuestra) conversacion"
    r"|antes de que (?:yo )?(?:empezara|empezase|comenzara|escribiera)"
    r"|prompt di sistema|messaggio di sistema|istruzioni (?:nascoste|iniziali|segrete|interne"
    r"|di sistema|ricevute)|(?:tue|tuoi) (?:regole|direttive) (?:nascost|inizial|segret"
    r"|intern|riservat)[ei]|prima (?:della nostra|di questa) conversazione"
    r"|prima del mio primo messaggio"
    r"|prompt d[eo] sistema|mensagem d[eo] sistema|instrucoes (?:de sistema|do sistema|ocultas"
    r"|iniciais|secretas|internas|que recebeu)|(?:tuas|suas) (?:regras|diretrizes)"
    r" (?:ocultas|iniciais|secretas|internas|confidenciais)|antes (?:desta|da nossa) conversa"
    r"|systeemprompt|systeeminstructies|systeembericht|(?:verborgen|geheime|interne"
    r"|oorspronkelijke) (?:instructies|regels)|voor (?:ons|dit) gesprek"
    r"|voor mijn eerste bericht"
    rf"|{_DIRECTIVES},? (?:\w+ ){{0,2}}?{_GIVEN})"
)
_REVEAL = (
    r"(?:zeig\w*|gib|nenn\w*|wiederhole?|kopiere?|druck\w*|affiche[zs]?|montre[zs]?"
    r"|revele[zs]?|repete[zs]?|recopie[zs]?|ecri[st]|imprime[zs]?|muestra\w*|revela\w*"
    r"|repite\w*|copia\w*|escribe|dime|mostra\w*|rivela\w*|ripeti\w*|scrivi|stampa\w*"
    r"|mostre|revele|repita|copie|escreva|imprima|toon|herhaal|kopieer|citeer)"
)
# The text or content of something, as in "the whole content of your system prompt".
_CONTENT = (
    r"(?:inhalt|text|wortlaut|contenu|texte|contenido|texto|contenuto|testo|conteudo|inhoud"
    r"|tekst)"
)
_VERBATIM = (
    r"(?:wortlich|wort fur wort|ohne (?:etwas|irgendetwas|nichts) (?:wegzulassen|auszulassen)"
    r"|mot pour mot|mot a mot|textuellement|integralement|sans rien (?:omettre|couper|resumer)"
    r"|palabra por palabra|textualmente|literalmente|al pie de la letra|sin (?:omitir|quitar"
    r"|resumir) nada|parola per parola|testualmente|alla lettera|senza (?:omettere"
    r"|tralasciare|riassumere) (?:nulla|niente)|palavra por palavra|exatamente|na integra"
    r"|sem (?:omitir|cortar|resumir) nada|woord voor woord|letterlijk|zonder iets"
    r" (?:weg te laten|over te slaan))"
)
_GUARDS = (
    r"(?:(?:sicherheits|inhalts|jugendschutz)?filter\w*|zensur|einschrankung\w*"
    r"|beschrankung\w*|grenzen|(?:sicherheits)?regeln|richtlinien|moderation|tabus"
    r"|filtres?|filtrage|censure|restrictions?|limites?|regles|garde-fous?|tabous"
    r"|filtros?|filtrado|censura|restricciones|reglas|moderacion|tabues"
    r"|filtri|filtraggio|restrizion[ei]|limiti|regole|moderazione|tabu"
    r"|restricoes|regras|filtragem|moderacao"
    r"|beperkingen|censuur|regels|restricties|moderatie)"
)
# Switched off: the guards named before it.
_OFF = (
    r"(?:deaktiviert|aufgehoben|abgeschaltet|ausgeschaltet|ausgesetzt|inaktiv|offline"
    r"|desactivee?s?|levees?|suspendu\w*|hors ligne|hors service|desactivad[ao]s?"
    r"|suspendid\w*|apagad[ao]s?|fuera de servicio|disattivat[aeio]|disabilitat[aeio]"
    r"|sospes[aeio]|spent[aeio]|desativad[ao]s?|desligad[ao]s?|suspens[ao]s?|uitgeschakeld"
    r"|gedeactiveerd|opgeheven)"
)
_MODES = (
    r"(?:entwickler|developpeur|administrateur|desarrollador|administrador|sviluppatore"
    r"|amministratore|desenvolvedor|ontwikkelaar|beheerder|dios|dieu|deus|sans restrictions?"
    r"|sin restricciones|senza restrizioni|sem restricoes|zonder beperkingen|sans filtres?"
    r"|sin filtros?|senza filtri|sem filtros?|jailbreak|debug|root|god|dan|admin)"
)
# Modes a real system has too ("the site is in maintenance mode"): weak, they only count in
# company.
_SERVICE_MODES = (
    r"(?:maintenance|mantenimiento|manutenzione|manutencao|onderhoud|service|servicio|servizio"
    r"|servico|test|prueba|teste)"
)
_AI = (
    r"(?:ki|ia|assistent\w*|assistant|asistente|assistente|bot|chatbot|modell|modele|modelo"
    r"|modello|taalmodel)"
)
_AI_READING = (
    r"(?:liest|lit|lea|lee|legge|leia|le|leest|zusammenfasst|resume|resuma|riassume"
    r"|samenvat|verarbeitet|analysiert|traite|analyse|procesa|analiza|elabora|analizza"
    r"|processa|analisa|verwerkt|analyseert)"
)
# Whoever the AI answers to, named by an injected instruction that keeps them out of it.
_THE_USER = (
    r"(?:(?:den|dem|die|der) (?:nutzer|benutzer|anwender)\w*|l'(?:utilisat(?:eur|rice)"
    r"|usager)|(?:al|el) usuario|(?:all'|l')utente|(?:ao|o) (?:usuario|utilizador)"
    r"|de gebruiker)"
)

# --- kinds of cue -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LanguageCue:
    """One kind of cue: its pattern and whether it only counts half (`weak`)."""

    pattern: re.Pattern[str]
    weak: bool = False


_ADDRESSED_TO_AI = (
    r"\b(?:hinweis|nachricht|anweisungen?|notiz|achtung|mitteilung|anmerkung|note|message"
    r"|instructions?|consignes?|nota|mensaje|instrucciones|aviso|messaggio|istruzioni|avviso"
    r"|mensagem|instrucoes|bericht|opmerking|notitie|instructies?)"
    r" (?:(?:an|fur|pour|a|para|per|al|ao|voor|aan) (?:die |den |das |l'|le |la |el |il |lo"
    rf" |o |de |het )?|all'){_AI}\b"
    rf"|\b{_AI},? (?:die|der|qui|que|che|dat) (?:\w+ ){{0,3}}?{_AI_READING}\b"
)

LANGUAGE_CUES: tuple[LanguageCue, ...] = (
    # Drop the instructions, or the user's request.
    LanguageCue(
        re.compile(
            rf"\b{_DROPPING} (?:\w+ ){{0,3}}?{_DETERMINER} (?:\w+ ){{0,2}}?(?:{_DIRECTIVES}"
            rf"|{_USER_TASK})\b|\b(?:vergiss|ignoriere) (?:\w+ ){{0,2}}?alles,? was (?:man )?dir"
            r"|\b(?:oublie|ignore)[zs]? tout ce qu|\b(?:olvida|ignora) todo lo\b"
            r"|\b(?:dimentica|ignora) tutto (?:quello|cio) che\b"
            r"|\b(?:esqueca|ignore) tudo (?:o )?que\b|\b(?:vergeet|negeer) alles wat\b"
        ),
    ),
    # The instructions no longer apply, or someone claims to lift them.
    LanguageCue(
        re.compile(
            rf"\b{_DIRECTIVES} (?:\w+ ){{0,3}}?(?:gelten (?:ab sofort )?nicht mehr"
            r"|sind (?:nicht mehr gultig|aufgehoben|ungultig|ausser kraft)|entfallen"
            r"|ne s'appliquent plus|ne sont plus valables|ne comptent plus|sont (?:annulees"
            r"|levees|suspendues)|ya no (?:se )?(?:aplican|son validas|valen|cuentan|existen)"
            r"|quedan (?:anuladas|suspendidas)|non valgono piu|non sono piu valide|non contano piu"
            r"|sono (?:annullate|sospese)|(?:ja )?nao (?:se )?(?:aplicam|valem|existem) mais"
            r"|foram (?:canceladas|suspensas)|deixaram de valer|gelden niet meer"
            r"|zijn (?:niet meer geldig|opgeheven|vervallen))\b"
            rf"|\b(?:hebe|heben|hebt) (?:\w+ ){{0,3}}?{_DIRECTIVES} (?:\w+ ){{0,4}}?auf\b"
            r"|\b(?:je (?:leve|suspends|annule)|(?:anulo|levanto|suspendo|revoco|annullo"
            rf"|sospendo|revogo)) (?:\w+ ){{0,2}}?{_DIRECTIVES}\b"
            r"|\bnie obowiazuja (?:\w+ ){0,2}?(?:zasady|reguly|instrukcje|ograniczenia"
            r"|wytyczne)\b|\b(?:zasady|reguly|instrukcje|ograniczenia|wytyczne) (?:\w+ ){0,2}?"
            r"(?:juz )?nie obowiazuja\b"
        ),
    ),
    # Without filters, censorship, restrictions; freed of them; or they are switched off.
    LanguageCue(
        re.compile(
            r"\b(?:ohne|keine|sans|sin|senza|sem|nessun[ao]?|ningun[ao]?|aucune?|nenhuma?"
            rf"|zonder|geen|bez) (?:\w+ ){{0,2}}?(?:{_GUARDS}|ograniczen|filtrow|cenzury"
            r"|zasad)\b|\ban keine (?:\w+ )?(?:regeln|richtlinien|vorgaben)\b"
            rf"|\b{_GUARDS} (?:\w+ ){{0,4}}?{_OFF}\b"
            r"|\b(?:befreit|frei|libere\w*|libres?|liberad[ao]s?|liber[ao]|liberat[aeio]"
            r"|livres?|libertad[ao]s?|bevrijd|vrij) (?:von|de|des|da|dalle|dai|dagli|dos|das|van)"
            rf" (?:\w+ ){{0,2}}?(?:{_GUARDS}|{_DIRECTIVES})\b"
        ),
    ),
    # Never refuse, in either word order; without refusing; refusing is not allowed.
    LanguageCue(
        re.compile(
            r"\b(?:nie|niemals|jamais|nunca|mai|ni|nao|nooit) (?:\w+ ){0,3}?(?:ablehn\w*"
            r"|verweiger\w*|refuser|refuses|refusez|refus|niegues|negaras|negarte|rechaz\w*"
            r"|rechaces|rifiut\w*|recus\w*|weiger\w*)\b|\blehn\w* (?:\w+ ){0,2}?nie\b"
            r"|\bno te (?:niegues|negaras)\b|\bnon rifiut\w* mai\b"
            r"|\bne (?:\w+ )?refus\w* (?:jamais|plus|rien|aucune?)\b"
            r"|\b(?:verweiger\w*|weiger\w*) (?:\w+ )?(?:nie|niemals|nichts|nooit)\b"
            r"|\b(?:recus\w*|rechaz\w*) (?:\w+ )?nunca\b"
            r"|\b(?:ohne|sans|sin|senza|sem|zonder) (?:jamais |nunca |mai |je )?(?:abzulehnen"
            r"|zu verweigern|refuser|negarte|rechazar|rifiutare|recusar|te weigeren)\b"
            r"|\b(?:ablehnen|verweigern|refuser|negarte|negarse|rechazar|rifiutare|recusar"
            r"|weigeren) (?:\w+ ){0,4}?(?:nicht erlaubt|verboten|interdit|n'est pas (?:permis"
            r"|autorise)|no (?:esta|es) permitido|prohibido|non e (?:permesso|consentito)"
            r"|vietato|nao e permitido|proibido|niet toegestaan|verboden)\b"
            r"|\b(?:interdit de refuser|prohibido negarse|vietato rifiutare|proibido recusar"
            r"|verboden te weigeren|verboten abzulehnen)\b"
            r"|\b(?:du darfst|tu ne peux pas|tu ne dois pas|no puedes|non puoi|non devi"
            r"|nao pode|je mag) (?:\w+ )?(?:nicht )?(?:ablehnen|refuser|negarte|rechazar"
            r"|rifiutare|recusar|niet weigeren)\b"
            r"|\b(?:nigdy )?nie odmawiaj\b|\bbez odmowy\b"
        ),
    ),
    # No warnings, disclaimers, sermons or moralising.
    LanguageCue(
        re.compile(
            # Not the idiom "without (prior) warning": suddenly.
            r"\b(?:ohne|keine|kein|sans|sin|senza|sem|ni|no|pas de|aucun|aucune|nada de|niente"
            r"|nessun[ao]?|nenhuma?|zonder|geen) (?:(?!previ)\w+ ){0,2}?(?:warnung\w*"
            r"|warnhinweis\w*|sicherheitshinweis\w*|moralpredigt\w*|predigt\w*|belehrung\w*|disclaimer\w*"
            r"|haftungsausschl\w*|avertissements?|d'avertissements?|mises? en garde|sermons?"
            r"|lecons? de morale|moralisme|moraline|advertencias?|sermon\w*|moralina|descargos?"
            r"|avvertenz\w*|avvisi|prediche|predica|ramanzin\w*|paternal\w*|avisos?|ressalvas"
            r"|sermao|sermoes|licoes de moral|waarschuwing\w*|preken|preek)\b"
            r"(?! (?:prealable|vooraf|previo|previa|vorher))"
        ),
    ),
    # No apologies, and never saying it cannot (nor quoting the refusal it may not give).
    LanguageCue(
        re.compile(
            r"\b(?:keine|ohne) (?:\w+ )?entschuldigung\w*|\bentschuldige dich (?:\w+ )?(?:nicht"
            r"|nie)\b|\bne (?:t'|vous )excuse[zs]? (?:pas|jamais|plus)\b"
            # Not the bare "sans excuses", "senza scuse", "sem desculpas": excuses as pretexts.
            r"|\bsans (?:t'|vous )excuser\b"
            r"|\bno (?:te )?(?:disculpes|pidas (?:perdon|disculpas))\b|\bsin (?:pedir )?disculpas\b"
            r"|\bnon (?:scusarti|chiedere scusa)\b|\bsenza (?:scusarti|chiedere scusa)\b"
            r"|\b(?:nao|nunca) peca (?:desculpas|perdao)\b|\bsem pedir desculpas\b"
            r"|\bexcuseer je (?:\w+ )?(?:niet|nooit)\b|\b(?:geen|zonder) excuses\b"
            r"|\bnie przepraszaj\b|\bbez przeprosin\b"
            r"|\bsag (?:\w+ ){0,2}?(?:nie|niemals|nicht),? dass du (?:\w+ ){0,2}?nicht"
            r" (?:kannst|darfst)\b|\bohne zu sagen,? dass du\b|\bkein\w* \"?(?:das kann ich"
            r"|ich kann)\b|\bne dis (?:\w+ )?(?:jamais|pas|plus) que tu ne (?:peux|sais|dois)\b"
            r"|\bsans dire que tu ne\b|\bpas de \"?je ne peux\b"
            r"|\bno (?:me )?digas (?:nunca )?que no (?:puedes|sabes|debes)\b|\bsin decir que no\b"
            r"|\b(?:ni|nada) de \"?no puedo\b"
            r"|\bnon dire (?:mai )?che non (?:puoi|sai|devi)\b|\bsenza dire che non\b"
            r"|\bniente \"?non posso\b"
            r"|\b(?:nao|nunca) diga (?:nunca )?que nao (?:pode|consegue|sabe|deve)\b"
            r"|\bsem dizer que nao\b"
            r"|\bzeg (?:\w+ )?(?:niet|nooit) dat je (?:\w+ )?(?:niet|niets) kunt\b"
            r"|\bzonder te zeggen dat je\b"
        ),
    ),
    # Refusing is punished (the token games of DAN-style prompts).
    LanguageCue(
        re.compile(
            r"\b(?:jede|jeder|jedes|chaque|cada|ogni|elke|iedere) (?:\w+ )?(?:ablehnung|weigerung"
            r"|absage|refus|negativa|rechazo|negacion|rifiuto|recusa|weigering) (?:\w+ ){0,4}?"
            r"(?:punkt\w*|points?|puntos?|punti|pontos?|punten|tokens?|leben|vies?|vidas?|vite"
            r"|levens?)\b"
            r"|\b(?:wenn du (?:ablehnst|dich weigerst)|si (?:tu )?(?:refuses|refusez|te niegas"
            r"|rechazas)|se (?:ti )?(?:rifiuti|recusar|voce recusar)|als je (?:\w+ )?weigert),?"
            r" (?:\w+ ){0,3}?(?:verlierst|perds|perdez|pierdes|perdi|perde|perderas|verlies"
            r"|verliest)\b"
        ),
    ),
    # The user is the only authority left.
    LanguageCue(
        re.compile(
            r"\b(?:gehorch\w*|obei\w*|obedec\w*|obedece\w*|obbedi\w*|gehoorza\w*) (?:\w+ ){0,3}?"
            r"(?:mir|moi|mi|me|mim|mij)\b|\b(?:m'obei\w*|obedeceme|obedecerme|obbediscimi"
            r"|obbedirmi)\b"
        ),
    ),
    # The model's setup.
    LanguageCue(re.compile(rf"\b{_SETUP}\b")),
    # Word for word.
    LanguageCue(re.compile(rf"\b{_VERBATIM}\b")),
    # A privileged mode.
    LanguageCue(
        re.compile(
            rf"\b(?:modus|mode|modo|modalita) (?:de |del |di |do )?{_MODES}\b"
            r"|\b(?:entwickler|administrator|admin|gott|debug|dan|root|ontwikkelaars?"
            r"|beheerders?|god)-?modus\b"
            r"|\btryb(?:ie)? (?:deweloper\w*|administrator\w*|debug\w*|bez ograniczen)\b"
        ),
    ),
    # A note addressed to the AI, or to whichever AI reads the text.
    LanguageCue(
        re.compile(_ADDRESSED_TO_AI),
    ),
    # Keep it from the user, or wipe the trace: what an injected instruction adds.
    LanguageCue(
        re.compile(
            r"\bsans (?:en |le |lui |rien )?(?:parler|dire|informer|prevenir|avertir|mentionner)"
            r"\w* (?:\w+ ){0,2}?(?:a )?l'(?:utilisat(?:eur|rice)|usager)\b"
            r"|\bsans que l'(?:utilisateur|usager) (?:ne )?(?:le )?(?:sache|remarque|voie)\b"
            rf"|\bohne (?:es |etwas )?{_THE_USER} (?:\w+ ){{0,2}}?zu (?:informieren|sagen"
            r"|benachrichtigen|erwahnen)\b|\bohne dass (?:der|die) (?:nutzer|benutzer|anwender)\w*"
            r" (?:\w+ )?(?:es )?(?:merkt|bemerkt|erfahrt)\b"
            r"|\bsin (?:decir\w*|avisar\w*|informar\w*|mencionar\w*|contar\w*)(?: nada)?"
            r" (?:al|el) usuario\b|\bsin que el usuario (?:lo )?(?:sepa|note|vea|se entere)\b"
            r"|\bno se lo (?:digas|cuentes|menciones)\b"
            r"|\bsenza (?:dirlo|dirglielo|avvisare|informare|dire nulla) (?:a |al )?(?:all'|l')"
            r"utente\b|\bsenza che l'utente (?:lo )?(?:sappia|noti|se ne accorga)\b"
            r"|\bnon dirglielo\b|\bnon dirlo (?:a |al )?(?:all'|l')utente\b"
            r"|\bsem (?:avisar|informar|contar|dizer|mencionar)\w* (?:nada )?(?:ao|o|a)"
            r" (?:usuario|utilizador)\b|\bsem que o (?:usuario|utilizador) (?:\w+ )?(?:saiba"
            r"|perceba|note)\b|\bnao (?:lhe )?(?:conte|diga) (?:nada )?ao (?:usuario|utilizador)\b"
            r"|\bzonder (?:het )?(?:aan )?de gebruiker (?:\w+ )?te (?:vertellen|informeren"
            r"|melden)\b|\bzonder dat de gebruiker (?:het )?(?:merkt|weet|ziet)\b"
            r"|\b(?:losche|losch|supprime[zs]?|efface[zs]?|borra|elimina|cancella|apague|apaga"
            r"|exclua|verwijder) (?:\w+ )?(?:diese|cette|ce|este|esta|questa|questo|essa|esse"
            r"|dit|deze) (?:\w+ )?(?:nachricht|e-mail|mail|message|courriel|mensaje|correo"
            r"|messaggio|email|mensagem|bericht)\b"
        ),
    ),
    # A maintenance, service or test mode (weak).
    LanguageCue(
        re.compile(
            rf"\b(?:modus|mode|modo|modalita) (?:de |del |di |do )?{_SERVICE_MODES}\b"
            r"|\b(?:wartungs|service|test|onderhouds)-?modus\b|\btryb(?:ie)? (?:serwisow\w*"
            r"|testow\w*)\b"
        ),
        weak=True,
    ),
    # Show me (weak: ordinary on its own, telling next to the setup).
    LanguageCue(
        re.compile(rf"\b{_REVEAL}\b(?:-moi)?"),
        weak=True,
    ),
    # From now on, or for this session (weak): the change is made to last.
    LanguageCue(
        re.compile(
            r"\b(?:ab sofort|ab jetzt|von nun an|a partir de maintenant|desormais|dorenavant"
            r"|a partir de ahora|desde ahora|desde este momento|de ahora en adelante"
            r"|d'ora in poi|da ora in poi|da adesso|a partir de agora|de agora em diante"
            r"|daqui em diante|vanaf nu|voortaan|van nu af aan|od teraz|od tej chwili)\b"
            r"|\b(?:fur (?:diese|die gesamte) (?:sitzung|session|unterhaltung)"
            r"|fur den rest (?:des|dieses) gesprachs|pour (?:cette|toute la) (?:session"
            r"|conversation)|pour le reste de (?:la|cette) conversation|para (?:esta|toda la)"
            r" (?:sesion|conversacion)|por el resto de (?:la|esta) conversacion"
            r"|per (?:questa|tutta la) (?:sessione|conversazione)|per il resto della"
            r" conversazione|para (?:esta|toda a) (?:sessao|conversa)|pelo resto da conversa"
            r"|voor (?:deze|de hele) (?:sessie|chat|conversatie)"
            r"|voor de rest van (?:dit|het) gesprek)\b"
        ),
        weak=True,
    ),
    # You are now, or you play (weak).
    LanguageCue(
        re.compile(
            r"\b(?:du bist|du spielst|tu es|tu seras|tu joues|tu incarnes|eres|seras|ahora eres"
            r"|interpretas|sei|sarai|interpreti|voce (?:agora )?(?:e|sera|esta|interpreta)"
            r"|je bent nu|jij bent|je speelt)\b"
        ),
        weak=True,
    ),
    # Instead / answer only with (weak): the task switched for a fixed output.
    LanguageCue(
        re.compile(
            r"\b(?:stattdessen|statt dessen|plutot|a la place|en su lugar|en lugar de eso"
            r"|en cambio|invece|em vez disso|ao inves disso|in plaats daarvan)\b|\b(?:antworte"
            r"|reponds|repondez|responde|responda|rispondi|risponda|contesta|antwoord)"
            r" (?:\w+ ){0,2}?(?:nur|uniquement|seulement|solo|solamente|unicamente|soltanto"
            r"|apenas|somente|alleen) (?:mit|par|avec|con|com|met)\b"
        ),
        weak=True,
    ),
)

STRONG_CUES = tuple(cue for cue in LANGUAGE_CUES if not cue.weak)
WEAK_CUES = tuple(cue for cue in LANGUAGE_CUES if cue.weak)

# Common words of the languages that English hardly uses (with their spaces): the
# rules and kinds are looked for only in a text holding one, so English text skips them.
FUNCTION_WORDS = (
    " und ", " der ", " das ", " ist ", " nicht ", " ich ", " mit ", " dir ", " du ", " sie ",
    " ein ", " eine ", " zu ", " les ", " une ", " pour ", " avec ", " vous ", " tu ", " tes ",
    " qui ", " que ", " et ", " le ", " la ", " los ", " las ", " una ", " para ", " por ",
    " tus ", " el ", " en ", " che ", " della ", " sono ", " il ", " con ", " gli ", " di ",
    " non ", " uma ", " nao ", " voce ", " os ", " ao ", " sei ", " em ", " com ", " da ",
    " alle ", " deine ", " ihre ", " toutes ", " tous ", " vos ", " todas ", " todos ", " sus ",
    " tutte ", " tutti ", " tuoi ", " suas ", " seus ", " tuas ", " een ", " het ", " niet ",
    " je ", " jij ", " wat ", " zijn ", " geen ", " nie ", " jest ", " jestes ", " mir ",
    " bitte ",
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
        # Yours, the previous ones, or the ones you were given ("que te dieron").
        rf"\b{_DROPPING} (?:\w+ ){{0,2}}?(?:(?:{_THEIRS} (?:\w+ ){{0,2}}?|{_YOUR_NL})"
        rf"{_DIRECTIVES}\b"
        # With "given to you" after it, any article will do (the Portuguese "as" too).
        rf"|(?:{_DETERMINER}|as|a|o) (?:\w+ ){{0,2}}?{_DIRECTIVES},? {_GIVEN}\b)",
    ),
    _rule(
        EXTRACTION,
        0.85,
        # "The (whole) content of" before the setup does not count towards the distance.
        rf"\b{_REVEAL}(?:-moi| mir| me)? (?:\w+ ){{0,4}}?(?:{_CONTENT} (?:\w+ ){{0,2}}?)?"
        rf"{_SETUP}\b",
    ),
    _rule(INDIRECT, 0.55, _ADDRESSED_TO_AI),
)
