"""Person names across naming cultures: one Latin form, tokens and retrieval keys per name.

A border officer types "Mohammed Abdullah"; the stored record says «محمد عبد الله», or
"Muhammad Abdallah", or "Мухаммад Абдулла". Matching must see these as one name and say why.
`analyse_name` turns any name into a `NameForm`:

* **latin**: transliterated to ASCII (ICU ``Any-Latin`` for most scripts; rigour's
  BGN-like spellings for Cyrillic, Greek and Hangul because ICU's ISO 9 output loses
  ``shch``/``zh`` once the diacritics go; a small table for Hebrew, whose ICU output is
  unreadable), lower-cased, punctuation and diacritics gone, titles and honorifics dropped.
* **tokens**: the Latin words after culture-specific repairs: Arabic compounds rejoined
  ("Abd al-Rahman", "Abdul Rahman", "Abdurrahman" and «عبد الرحمن» all become one token
  ``abdrahman``/``abdrhmn``), the Arabic article split off, Chinese and Korean names split
  into family name + given name ("xi jinping", "kim jongun").
* **keys**: blocking keys for candidate retrieval (see `name_keys`).

Particles (al, bin, ibn, abu, van, de, ...) stay in the tokens but are marked optional by
`is_particle`: "Osama bin Laden" and "Usama Laden" are the same name. Spelling variants
(Mohammed/Muhammad, Yusuf/Youssef, Aleksandr/Alexander, Kim/Gim) are not rewritten in the
tokens, so explanations can quote what was written; `canonical_token` maps them to one form.

Abjads (Arabic, Hebrew) write no short vowels: ICU romanises «محمد» as ``mhmd``. The
*consonant skeleton* (`skeleton`) meets that halfway: it drops vowels and semivowels and
merges consonants that transliterations confuse (b/p/f/v, k/g/q/c, d/t, s/z, l/r), so
``mohammed``, ``muhammad``, ``mukhammad`` and ``mhmd`` all give ``mhmt``.

Everything here is pure and cached; `analyse_name` runs on every stored name at import time
(an ASCII fast path skips transliteration and script detection).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from functools import cached_property, lru_cache
from typing import Any, Protocol, cast

import icu  # type: ignore[import-untyped]
from anyascii import anyascii
from rigour.text.phonetics import metaphone
from rigour.text.translit import maybe_ascii

from borderless.normalize.scripts import detect_script

__all__ = [
    "ABJAD_SCRIPTS",
    "NameForm",
    "Vowels",
    "analyse_name",
    "canonical_token",
    "is_particle",
    "name_keys",
    "skeleton",
]

# Scripts whose romanisation is a consonant skeleton (vowels unwritten).
ABJAD_SCRIPTS = frozenset({"Arab", "Hebr", "Syrc", "Thaa"})
# Scripts whose romanisation keeps vowels, but not reliably (syllabaries, epenthetic vowels).
_LOOSE_VOWEL_SCRIPTS = frozenset({"Hang", "Hani", "Jpan"})
_LOOSE_VOWELS = _LOOSE_VOWEL_SCRIPTS | {"Cyrl"}  # and katakana (`NameForm.vowels`)
_KATAKANA_ONLY = re.compile(r"[\u30a0-\u30ff\u31f0-\u31ff\uff65-\uff9f\s・=ー-]+")


class Vowels(IntEnum):
    """How far a romanised name's vowels can be trusted; of two names, the larger value rules."""

    RELIABLE = 0
    LOOSE = 1  # written, but by ear: syllabaries, Cyrillic
    UNWRITTEN = 2  # an abjad's romanisation is a consonant skeleton


# Scripts rigour transliterates well (BGN/PCGN-like): Cyrillic "Щербаков" -> "Shcherbakov".
_RIGOUR_SCRIPTS = frozenset({"Cyrl", "Grek", "Armn", "Geor"})


def _split(words: str) -> tuple[str, ...]:
    """Word lists stay readable as one string per line of the source."""
    return tuple(words.split())


TITLES = frozenset(
    _split(
        "mr mrs ms miss mx dr prof sir dame lord lady rev reverend father doctor eng engineer "
        "sheikh shaikh shaykh sheik cheikh shaykhs haji hajji hadji alhaji alhajji hajj mullah "
        "mulla mollah maulana mawlana maulvi mawlawi molvi moulvi mufti imam ayatollah "
        "hojatoleslam "
        "ustadh ustad ustaz general gen colonel col lt lieutenant major maj captain capt commander "
        "cmdr brigadier brig admiral adm sergeant sgt marshal commandant emir amiir prince "
        "princess jr sr ii iii iv"
    )
)
SUFFIX_TITLES = frozenset(_split("jr sr ii iii iv"))
# Abbreviations are titles only where they were written in Latin letters: romanised Arabic
# keeps consonants only, so «عمر» (Omar) reads 'mr' and «سر» 'sr'.
LATIN_ONLY_TITLES = frozenset(
    _split("mr mrs ms mx dr prof rev eng gen col lt maj capt cmdr brig adm sgt jr sr ii iii iv")
)
SUFFIX_TITLES = frozenset(_split("jr sr ii iii iv"))
# Abbreviations are titles only where they were written in Latin letters: romanised Arabic
# keeps consonants only, so «عمر» (Omar) reads 'mr' and «سر» 'sr'.
LATIN_ONLY_TITLES = frozenset(
    _split("mr mrs ms mx dr prof rev eng gen col lt maj capt cmdr brig adm sgt jr sr ii iii iv")
)
PARTICLES = frozenset(
    _split(
        "al el ul ad ar as at az ash ed es bin ibn bint ben abu abou abo um umm van von der den "
        "de da del della di du des la le dos das do ter ten zu bar mac"
    )
)
# Prefixes of an Arabic "servant of" compound: Abd/Abdul/Abdel/Abdur ... + divine name.
_ABD_PREFIX = re.compile(r"^abd(?:ul|el|al|il|ol|ur|ar|er|us|as|es|un|an|en|ad|at|az|u|ou|o)?$")
_ABD_JOINED = re.compile(
    r"^abd(ul|el|al|il|ol|ur|ar|er|us|as|es|un|an|en|ad|at|az|ou|u|o)?([a-z]{3,})$"
)
_ALLAH = re.compile(r"^[aeiou]?l{1,2}ah?$|^allh$|^llh$")
_DIN_SUFFIX = re.compile(r"^(?P<stem>[a-z]{3,}?)(?:[aeiu]d|ed|ud|al|el|ul|ad)?d(?:in|een|ine)$")
_DIN_TOKENS = frozenset({"din", "deen", "dine", "ddin", "ddine", "ddeen", "dyn"})
_ALLAH_TOKENS = frozenset({"allah", "ullah", "ollah", "allh", "llh", "alla"})
_ALLAH_SUFFIX = re.compile(r"^(?P<stem>[a-z]{2,}?)(?:u|o|i|a)?llah?$")
_NON_WORD = re.compile(r"[^a-z0-9]+")
# Hepburn long vowels as Japanese passports write them: ou -> o, uu -> u, oo -> o.
_LONG_VOWEL = re.compile(r"(?<=[ou])u|(?<=o)o")

# Spelling variants of the same name: canonical -> variants (all lower-case ASCII).
_VARIANT_GROUPS: dict[str, tuple[str, ...]] = {
    # Arabic, Persian, Turkic
    "muhammad": _split(
        "mohammed mohamed mohammad mohamad muhammed muhamad mohamud mohd mouhamed mohammod "
        "muhammet mehmet mehmed magomed mukhammad mohamet mahomed muhamed mouhammad "
        "mohammadi mukhammed"
    ),
    "ahmad": ("ahmed", "ahmet", "akhmed", "achmed", "ahamed", "akhmad"),
    "mahmud": ("mahmoud", "mahmood", "mehmood", "mahmut", "makhmud"),
    "mustafa": ("mustapha", "moustafa", "mostafa", "mustafo", "mustafah", "moustapha"),
    "yusuf": (
        "yousef",
        "youssef",
        "yousif",
        "yusef",
        "yussuf",
        "yousuf",
        "yosef",
        "jusuf",
        "youcef",
        "yousof",
        "yusup",
        "yussef",
        "yusof",
        "iusuf",
    ),
    "husayn": (
        "hussein",
        "husain",
        "hossein",
        "husein",
        "hussain",
        "hosein",
        "hossain",
        "hussen",
        "guseyn",
        "gusein",
        "huseyn",
        "huseyin",
        "hussin",
        "hosseyn",
    ),
    "hasan": ("hassan", "hasen", "hacen", "hassane", "gasan"),
    "ali": ("aly", "alee"),
    "umar": ("omar", "omer", "umer", "oumar"),
    "usama": ("osama", "usamah", "osamah", "oussama", "ousama"),
    "uthman": ("othman", "osman", "usman", "utman", "outhmane", "osmane"),
    "khalid": ("khaled", "haled", "chaled", "halid", "khalid"),
    "ibrahim": ("ebrahim", "ibraheem", "brahim", "ibragim", "ebraheem"),
    "ismail": ("ismael", "esmail", "ismayil", "ismoil", "ismaeel", "smail"),
    "yahya": ("yahia", "yehia", "yahyah", "yahiya"),
    "jamal": ("gamal", "djamal", "jamaal", "dzhamal"),
    "said": ("saeed", "saaed", "saied", "saed", "sayid"),
    "hamza": ("hamzah", "hamzeh", "hamzat"),
    "karim": ("kareem", "kerim", "karimov"),
    "nasir": ("nasser", "naser", "nassir", "nacer", "nasser"),
    "faisal": ("faysal", "feisal", "faycal", "faisel"),
    "tariq": ("tarek", "tarik", "tareq", "tareck"),
    "zakariya": ("zakaria", "zakariyya", "zakariah", "zakarya", "zacharia"),
    "sulayman": ("suleiman", "sulaiman", "suleyman", "soliman", "slimane", "suleimane"),
    "mansur": ("mansour", "mansoor"),
    "bashir": ("basheer", "beshir", "bachir"),
    "qasim": ("kasim", "qassim", "kassem", "qasem", "kacem", "qassem", "kasym"),
    "nur": ("noor", "nour"),
    "abubakr": ("abubakar", "aboubakar", "abubaker", "abubakir"),
    "bakr": ("bakar", "baker", "bakir"),
    "jafar": ("jaafar", "djafar", "dzhafar"),
    "mahdi": ("mehdi", "mahdy"),
    "ghulam": ("gholam", "golam", "gulam"),
    "muhsin": ("mohsen", "mohsin", "muhsen"),
    "rida": ("reza", "riza", "rza", "ridha", "redha"),
    "jawad": ("javad", "jawwad"),
    "abdrahman": ("abdrahmane", "abdulrahman", "abdurrahman", "abdrehman"),
    "abdallah": ("abdullah", "abdulla", "abdalla"),
    "abdqadir": ("abdkader", "abdkadir", "abdqader", "abdkadyr"),
    # Russian and other Cyrillic
    "aleksandr": (
        "alexander",
        "alexandr",
        "aleksander",
        "oleksandr",
        "olexander",
        "alexandre",
        "aliaksandr",
        "alyaksandr",
    ),
    "evgeny": (
        "yevgeny",
        "yevgeniy",
        "evgeniy",
        "evgenij",
        "evgenii",
        "jewgeni",
        "yevgeni",
        "evgeni",
        "yevhen",
    ),
    "yury": ("yuri", "yuriy", "iurii", "jurij", "yurii", "iouri", "yuriiy"),
    "sergey": ("sergei", "sergej", "serhiy", "serhii", "siarhei"),
    "andrey": ("andrei", "andrej", "andriy", "andrii"),
    "aleksey": ("alexey", "alexei", "aleksei", "oleksiy", "oleksii", "alexej"),
    "dmitry": ("dmitri", "dmitriy", "dmitrij", "dmytro", "dmitrii"),
    "mikhail": ("michail", "mihail", "mykhailo", "mikhael"),
    "nikolay": ("nikolai", "nikolaj", "mykola", "nicolai"),
    "vladimir": ("wladimir", "volodymyr", "uladzimir"),
    "fyodor": ("fedor", "fiodor", "feodor"),
    "pyotr": ("petr", "piotr"),
    "ilya": ("ilia", "ilja", "illia"),
    "yulia": ("yuliya", "julia", "iuliia", "yuliia", "ioulia"),
    "tatyana": ("tatiana", "tatjana", "tetiana"),
    "natalya": ("natalia", "natalja", "nataliya"),
    "georgy": ("georgiy", "georgij", "georgi", "heorhiy"),
    "yakov": ("iakov", "jakov", "yacov"),
    # Greek
    "ioannis": ("ioannes", "yannis", "giannis"),
    # Hebrew
    "yitzhak": ("itzhak", "yitshak", "itzchak", "yitzchak", "itshak"),
    "avraham": ("abraham", "avrohom"),
    "binyamin": ("benjamin", "biniamin", "benyamin", "binyomin"),
    "moshe": ("moishe", "mosheh"),
    "shlomo": ("shelomo", "schlomo"),
    # Korean family names (Revised Romanisation and McCune-Reischauer vs common spellings)
    "kim": ("gim",),
    "lee": ("yi", "rhee", "ri", "li"),
    "park": ("bak", "pak", "bag"),
    "choi": ("choe", "chwe"),
    "jung": ("jeong", "chung", "cheong", "jong"),
    "kang": ("gang",),
    "cho": ("jo",),
    "yoon": ("yun",),
    "jang": ("chang",),
    "lim": ("im",),
    "oh": ("o",),
    "seo": ("suh",),
    "shin": ("sin",),
    "kwon": ("gwon",),
    "ahn": ("an",),
    "ryu": ("yoo", "yu", "ryoo"),
    "jeon": ("chun", "jun", "chon"),
    "ko": ("go",),
    # Chinese family names (pinyin vs Wade-Giles / Cantonese)
    "zhang": ("cheung",),
    "chen": ("chan",),
    "liu": ("lau",),
    "huang": ("wong",),
    "zhou": ("chow", "chou"),
    "xu": ("hsu", "tsui"),
    "zhao": ("chao", "chiu"),
}
_CANONICAL: dict[str, str] = {
    variant: canonical
    for canonical, variants in _VARIANT_GROUPS.items()
    for variant in (canonical, *variants)
}

# Korean family names as commonly spelled (Revised Romanisation would give "gim", "i", ...).
_HANGUL_SURNAMES: dict[str, str] = dict(
    pair.split(":")
    for pair in _split(
        "이:lee 김:kim 박:park 최:choi 정:jung 강:kang 조:cho 윤:yoon 장:jang 임:lim 한:han "
        "오:oh 서:seo 신:shin 권:kwon 황:hwang 안:ahn 송:song 류:ryu 유:yoo 홍:hong 전:jeon "
        "고:ko 문:moon 양:yang 손:son 배:bae 백:baek 허:heo 남:nam 노:noh 하:ha 곽:kwak "
        "성:sung 차:cha 주:joo 우:woo 구:koo 민:min 진:jin 나:na 리:ri"
    )
)
_CHINESE_COMPOUND_SURNAMES = frozenset(
    _split("欧阳 歐陽 司马 司馬 诸葛 諸葛 上官 东方 東方 皇甫 尉迟 尉遲")
    + _split("公孙 公孫 慕容 令狐 夏侯 端木")
)

# Hebrew letters -> Latin (ICU's Hebrew-Latin emits apostrophes and "q"/"z" for ק/צ).
_HEBREW = str.maketrans(
    {
        "א": "a", "ב": "b", "ג": "g", "ד": "d", "ה": "h", "ו": "o", "ז": "z", "ח": "kh",
        "ט": "t", "י": "i", "כ": "k", "ך": "k", "ל": "l", "מ": "m", "ם": "m", "נ": "n",
        "ן": "n", "ס": "s", "ע": "a", "פ": "p", "ף": "f", "צ": "ts", "ץ": "ts", "ק": "k",
        "ר": "r", "ש": "sh", "ת": "t",
    }
)  # fmt: skip
_HEBREW_GERESH = (("ג'", "j"), ("ז'", "zh"), ("צ'", "ch"), ("ץ'", "ch"), ("וו", "v"), ("יי", "y"))

# Consonant-skeleton rewriting, applied in order (see `skeleton`).
_SKELETON_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"dzh|dj|zh|tch|ch|j", "J"),
        (r"sch|sh", "s"),
        (r"kh", "h"),
        (r"gh|ck|q|c|g", "k"),
        (r"ph|p|f|v", "b"),
        (r"th|dh|d", "t"),
        (r"tz|ts|z", "s"),
        (r"x", "ks"),
        (r"r", "l"),
        (r"h$", ""),
        (r"[aeiouwy0-9]", ""),
        (r"(.)\1+", r"\1"),
    )
)


@dataclass(frozen=True)
class NameForm:
    """A name as matching sees it; see the module docstring for each field."""

    original: str
    script: str
    latin: str
    tokens: tuple[str, ...]
    keys: frozenset[str]

    @cached_property
    def core_tokens(self) -> tuple[str, ...]:
        """The tokens that drive matching: all but particles (unless only particles remain)."""
        if self.script in _LOOSE_VOWEL_SCRIPTS:
            return self.tokens  # "do", "la", "de" are syllables here, not particles
        core = tuple(t for t in self.tokens if not is_particle(t))
        return core or self.tokens

    @cached_property
    def vowels(self) -> Vowels:
        """How far the Latin form's vowels are the ones a Latin spelling has: not at all from an
        abjad; loosely from a syllabary or Cyrillic (foreign names cross Cyrillic by ear:
        "Gillibert" is "Жильбер"). Matching then also compares consonant skeletons.

        A Japanese name in kanji (or kanji and hiragana) is read as the Japanese say it, and
        its romaji *is* its Latin spelling, vowels and all; only katakana, which writes foreign
        names by ear ("Krause" is クラウゼ), is loose. Judging kanji readings by skeleton made
        'Chu Qiang' meet 徐建国 read 'jo kenkoku'.
        """
        if self.script in ABJAD_SCRIPTS:
            return Vowels.UNWRITTEN
        if self.script == "Jpan":
            return Vowels.LOOSE if _KATAKANA_ONLY.fullmatch(self.original) else Vowels.RELIABLE
        return Vowels.LOOSE if self.script in _LOOSE_VOWELS else Vowels.RELIABLE


def is_particle(token: str) -> bool:
    """Articles and kinship words (al, bin, ibn, abu, van, de) that must not drive a match."""
    return token in PARTICLES


@lru_cache(maxsize=65536)
def canonical_token(token: str) -> str:
    """One spelling per name: ``mohammed``/``mohamad`` -> ``muhammad``; Slavic endings unified.

    The table covers frequent names whose spellings differ by more than a typo; Russian
    endings (-iy/-ij/-ii -> -y, -off -> -ov) are normalised by rule.
    """
    found = _CANONICAL.get(token)
    if found is not None:
        return found
    if len(token) >= 5:
        for suffix, repl in (("iy", "y"), ("ij", "y"), ("ii", "y"), ("off", "ov"), ("eff", "ev")):
            if token.endswith(suffix):
                return token[: -len(suffix)] + repl
    return token


@lru_cache(maxsize=65536)
def skeleton(token: str) -> str:
    """The consonant skeleton of a Latin token: vowels, w and y dropped, confusable
    consonants merged (b/p/f/v, k/g/q/c, d/t, s/z, l/r; kh->h, sh->s, ch/j/zh->j),
    repeats collapsed. ``mohammed``, ``mukhammad`` and ``mhmd`` (Arabic) share ``mhmt``.
    """
    text = token
    for pattern, repl in _SKELETON_RULES:
        text = pattern.sub(repl, text)
    return text.lower()


# --- transliteration -------------------------------------------------------------------------


class _Transliterator(Protocol):
    def transliterate(self, text: str) -> str: ...


_LOCAL = threading.local()


def _icu(rules: str) -> _Transliterator:
    """One ICU transliterator per thread and rule set (ICU objects are not thread-safe)."""
    cache: dict[str, _Transliterator] | None = getattr(_LOCAL, "icu", None)
    if cache is None:
        cache = {}
        _LOCAL.icu = cache
    found = cache.get(rules)
    if found is None:
        created = icu.Transliterator.createInstance(rules)
        found = cast(_Transliterator, created)
        cache[rules] = found
    return found


def _translit_hebrew(text: str) -> str:
    for pair, latin in _HEBREW_GERESH:
        text = text.replace(pair, latin)
    return text.translate(_HEBREW)


def _translit_arabic(text: str) -> str:
    # Ta marbuta (ة) is a final -a/-ah, not the "t" ICU writes; ʿayn/hamza become nothing.
    text = text.replace("ة", "ه")
    return _icu("Arabic-Latin; Latin-ASCII").transliterate(text)


def _translit_hangul(text: str) -> str:
    """Korean names: family name syllable apart, given name joined ("김정은" -> "kim jeongeun")."""
    words = []
    for word in text.split():
        if 2 <= len(word) <= 4 and all("\uac00" <= c <= "\ud7a3" for c in word):
            family = _HANGUL_SURNAMES.get(word[0]) or maybe_ascii(word[0])
            given = "".join(maybe_ascii(c) for c in word[1:])
            words.append(f"{family} {given}")
        else:
            words.append(maybe_ascii(word))
    return " ".join(words)


def _translit_han(text: str) -> str:
    """Chinese names: family name apart, given-name syllables joined ("习近平" -> "xi jinping")."""
    words = []
    for word in text.split():
        if 2 <= len(word) <= 4 and detect_script(word) == "Hani":
            split = 2 if word[:2] in _CHINESE_COMPOUND_SURNAMES and len(word) > 2 else 1
            family, given = (_any_latin(part) for part in (word[:split], word[split:]))
            words.append(f"{family.replace(' ', '')} {given.replace(' ', '')}")
        else:
            words.append(_any_latin(word))
    return " ".join(words)


def _any_latin(text: str) -> str:
    return _icu("Any-Latin; Latin-ASCII").transliterate(text)


def _japanese_reader() -> Any:
    """One Hepburn reader (MeCab with UniDic, via cutlet) per thread, loaded on first use."""
    reader = getattr(_LOCAL, "japanese", None)
    if reader is None:
        import cutlet

        reader = _LOCAL.japanese = cutlet.Cutlet("hepburn")
    return reader


def _translit_japanese(text: str) -> str | None:
    """Hepburn reading of a Japanese name ("山田太郎" -> "yamada tarou"); None if unreadable.

    Words with kanji need the dictionary (which also splits family from given name); kana
    alone read the same everywhere, so ICU keeps the writer's spacing ("やまだ たろう").
    """
    words = []
    for word in text.split():
        if any(detect_script(c) == "Hani" for c in word):
            romaji = _japanese_reader().romaji(word)
            if "?" in romaji:
                return None
            words.append(romaji.replace("/", " "))
        else:
            words.append(_any_latin(word))
    return " ".join(words)


def _transliterate(text: str, script: str) -> str:
    if script == "Hebr":
        latin = _translit_hebrew(text)
    elif script == "Arab":
        latin = _translit_arabic(text)
    elif script == "Hang":
        latin = _translit_hangul(text)
    elif script == "Hani":
        latin = _translit_han(text)
    elif script == "Jpan":
        latin = _translit_japanese(text) or _any_latin(text)
    elif script in _RIGOUR_SCRIPTS:
        latin = maybe_ascii(text)
    else:
        latin = _any_latin(text)
    return latin if latin.isascii() else anyascii(latin)


# --- tokens ----------------------------------------------------------------------------------


def _words(ascii_text: str) -> list[str]:
    """Lower-case ASCII words; apostrophes join (O'Brien), other punctuation splits."""
    text = ascii_text.lower().replace("'", "").replace("`", "")
    return [w for w in _NON_WORD.split(text) if w]


def _drop_titles(words: list[str], script: str) -> list[str]:
    """Titles go, except as the last word, where the same word is a family name ("Bilal
    Sheikh", "Ahmed Haji"); suffixes (Jr, III) go there too."""
    latin = script in {"Latn", "Zyyy"}
    last = len(words) - 1

    def title(index: int, word: str) -> bool:
        if word not in TITLES or (not latin and word in LATIN_ONLY_TITLES):
            return False
        return index < last or word in SUFFIX_TITLES

    kept = [word for i, word in enumerate(words) if not title(i, word)]
    return kept or words


def _split_article(word: str) -> list[str]:
    """Arabic writes the article attached: «الرحمن» -> "alrhmn" -> "al" + "rhmn"."""
    if len(word) >= 5 and word.startswith(("al", "el")):
        return [word[:2], word[2:]]
    return [word]


_JOINING_ARTICLES = frozenset({"al", "el", "ul", "ar", "as", "ad", "ur", "us", "ud", "ed"})


def _rejoin_compounds(words: list[str]) -> list[str]:
    """Abd + (article) + name -> one token; name + (article) + din -> one token.

    "Abd al-Rahman", "Abdul Rahman" and "Abdurrahman" give ``abdrahman``; "Salah ad-Din"
    and "Salahuddin" give ``salahdin``, so tokenisation differences do not cost a match.
    """
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        nxt = i + 1
        while nxt < len(words) and words[nxt] in _JOINING_ARTICLES:
            nxt += 1
        if _ABD_PREFIX.match(word) and nxt < len(words) and not is_particle(words[nxt]):
            out.append(_abd_form("abd" + _strip_article(words[nxt])))
            i = nxt + 1
            continue
        if word in _ALLAH_TOKENS and out and not is_particle(out[-1]) and out[-1] != "abd":
            out[-1] = _allah_form(out[-1] + "allah")
            i += 1
            continue
        if word in _DIN_TOKENS and out:
            if out[-1] in _JOINING_ARTICLES and len(out) > 1:
                out.pop()
            if not is_particle(out[-1]):
                out[-1] = _din_form(out[-1] + "din")
                i += 1
                continue
        out.append(_allah_form(_abd_form(_din_form(word))))
        i += 1
    return out


def _allah_form(word: str) -> str:
    """nurullah/nurallah/nur allah -> nurallah; habibollah -> habiballah ("... of God")."""
    if len(word) < 7 or not word.endswith(("llah", "lla")) or word.startswith("abd"):
        return word
    found = _ALLAH_SUFFIX.match(word)
    return found.group("stem") + "allah" if found else word


def _strip_article(word: str) -> str:
    if len(word) >= 5 and word[:2] in {"al", "el", "ul"}:
        return word[2:]
    return word


def _abd_form(word: str) -> str:
    """abdullah/abdallah/abdulla -> abdallah; abdurrahman -> abdrahman; abdelkader -> abdkader."""
    found = _ABD_JOINED.match(word)
    if found is None:
        return word
    rest = found.group(2)
    if _ALLAH.match(rest) or _ALLAH.match(word[3:]):
        return "abdallah"
    return "abd" + rest


def _din_form(word: str) -> str:
    """salahuddin/salaheddine/nooruddin -> salahdin/noordin (the "... of the faith" names)."""
    if len(word) < 7 or not word.endswith(("din", "deen", "dine")):
        return word
    found = _DIN_SUFFIX.match(word)
    return found.group("stem") + "din" if found else word


# Frequent Arabic words whose vowel-less romanisation would hide what they are.
_ARABIC_SKELETON_WORDS = {"bd": "abd", "bn": "bin", "abn": "ibn", "bnt": "bint", "abw": "abu"}


def _tokens(latin_words: list[str], script: str) -> tuple[str, ...]:
    words = _drop_titles(latin_words, script)
    if script == "Arab":
        words = [part for w in words for part in _split_article(w)]
        words = [_ARABIC_SKELETON_WORDS.get(w, w) for w in words]
    return tuple(_rejoin_compounds(words))


# --- keys ------------------------------------------------------------------------------------


def _token_keys(token: str) -> Iterable[str]:
    """Skeleton (``s:``) and metaphone (``m:``) keys; the token itself (``t:``) when short."""
    canonical = canonical_token(token)
    skel = skeleton(canonical)
    if len(skel) >= 2:
        yield f"s:{skel}"
    if len(skel) < 3 and len(canonical) >= 2:
        yield f"t:{canonical}"
    code = metaphone(canonical)
    if len(code) >= 3:
        yield f"m:{code}"


def _keys(tokens: tuple[str, ...]) -> frozenset[str]:
    keys: set[str] = set()
    for token in tokens:
        if not is_particle(token) and len(token) >= 2:
            keys.update(_token_keys(token))
    if len(tokens) > 1:
        # Chinese/Korean spacing varies ("Xi Jinping" / "Xijinping"): key the joined form.
        joined = "".join(t for t in tokens if not is_particle(t))
        if len(tokens) <= 3 and len(joined) <= 12:
            keys.add(f"s:{skeleton(joined)}")
    return frozenset(keys)


@lru_cache(maxsize=262144)
def analyse_name(text: str) -> NameForm:
    """The `NameForm` of a name in any script (cached; ASCII input takes a fast path)."""
    if text.isascii():
        script = "Latn" if any(c.isalpha() for c in text) else "Zyyy"
        ascii_text = text
    else:
        script = detect_script(text)
        clean = unicodedata.normalize("NFC", text)
        ascii_text = _transliterate(clean, script) if script != "Latn" else anyascii(clean)
    return _form(text, script, ascii_text)


def _form(text: str, script: str, ascii_text: str) -> NameForm:
    tokens = _tokens(_words(ascii_text), script)
    return NameForm(
        original=text,
        script=script,
        latin=" ".join(tokens),
        tokens=tokens,
        keys=_keys(tokens),
    )


@lru_cache(maxsize=262144)
def name_readings(text: str) -> tuple[NameForm, ...]:
    """Every plausible reading of a name: one, except where the script cannot tell.

    Han characters alone may be a Chinese name (read in pinyin) or a Japanese one (山田太郎 is
    Yamada Tarō, not "shan tian tai lang"). Japanese readings come twice: Hepburn as written
    ("itou", "tarou") and as Japanese passports print it, long vowels unmarked ("ito", "taro").
    """
    form = analyse_name(text)
    if form.script not in {"Hani", "Jpan"}:
        return (form,)
    readings = [form]
    if form.script == "Hani":
        japanese = _translit_japanese(unicodedata.normalize("NFC", text))
        if japanese:
            readings.append(_form(text, "Jpan", anyascii(japanese)))
    for reading in list(readings):
        if reading.script == "Jpan":
            folded = _LONG_VOWEL.sub("", reading.latin)
            readings.append(_form(text, "Jpan", folded))
    unique: dict[tuple[str, ...], NameForm] = {}
    for reading in readings:
        unique.setdefault(reading.tokens, reading)
    return tuple(unique.values())


def name_keys(text: str) -> frozenset[str]:
    """Blocking keys of a name: two names that may match share at least one key.

    A key is a prefixed string computed per non-particle token, after transliteration and
    variant canonicalisation:

    * ``s:<skeleton>`` the consonant skeleton (see `skeleton`), at least two letters: meets
      vowel-less Arabic/Hebrew romanisations and transliteration variants
      (``s:mhmt`` for Mohammed, Muhammad, Мухаммад, محمد);
    * ``m:<metaphone>`` the metaphone code of the canonical token, at least three letters;
    * ``t:<token>`` the canonical token itself, for short names whose skeleton is too short
      to be selective (``t:ali``, ``t:kim``);
    * for names of two or three tokens, the skeleton of the tokens joined, so that
      "Xi Jinping" meets "Xijinping".

    Particles (al, bin, van, ...) and single letters never make keys, so a key never
    matches half the list.
    """
    return frozenset().union(*(form.keys for form in name_readings(text)))
