"""Vietnamese text keys for comparing comments: NFC, lowercase, diacritics folded (đ → d), common
administrative abbreviations expanded (KT-XH, ANTT, CCHC, …), section references set apart, and the
signals that forbid a merge: the numbers a comment gives and its directions (raise/lower, allow/ban,
remove/keep/add)."""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Folded abbreviation (letters only) -> expansion with diacritics.
ABBREVIATIONS: dict[str, str] = {
    "ktxh": "kinh tế – xã hội",
    "vhxh": "văn hóa – xã hội",
    "antt": "an ninh trật tự",
    "ttatxh": "trật tự an toàn xã hội",
    "qpan": "quốc phòng, an ninh",
    "qp": "quốc phòng",
    "an": "an ninh",  # only as a part of QP-AN, see _SPLIT_ONLY
    "cchc": "cải cách hành chính",
    "tthc": "thủ tục hành chính",
    "mttq": "Mặt trận Tổ quốc",
    "ubmttq": "Ủy ban Mặt trận Tổ quốc",
    "ubnd": "Ủy ban nhân dân",
    "hdnd": "Hội đồng nhân dân",
    "cnhhdh": "công nghiệp hóa, hiện đại hóa",
    "cnh": "công nghiệp hóa",
    "hdh": "hiện đại hóa",
    "cntt": "công nghệ thông tin",
    "cds": "chuyển đổi số",
    "xdd": "xây dựng Đảng",
    "htct": "hệ thống chính trị",
    "bch": "Ban Chấp hành",
    "btv": "Ban Thường vụ",
    "ubkt": "Ủy ban Kiểm tra",
    "cbcc": "cán bộ, công chức",
    "cbccvc": "cán bộ, công chức, viên chức",
    "cbdv": "cán bộ, đảng viên",
    "dv": "đảng viên",
    "gddt": "giáo dục và đào tạo",
    "gd": "giáo dục",
    "csvc": "cơ sở vật chất",
    "nsnn": "ngân sách nhà nước",
    "xhcn": "xã hội chủ nghĩa",
    "pccc": "phòng cháy, chữa cháy",
    "atgt": "an toàn giao thông",
    "attp": "an toàn thực phẩm",
    "vsmt": "vệ sinh môi trường",
    "bvmt": "bảo vệ môi trường",
    "ccb": "cựu chiến binh",
    "hlhpn": "Hội Liên hiệp Phụ nữ",
    "dtn": "Đoàn Thanh niên",
    "hnd": "Hội Nông dân",
    "tncs": "thanh niên cộng sản",
    "dvc": "dịch vụ công",
    "dvctt": "dịch vụ công trực tuyến",
    "gpmb": "giải phóng mặt bằng",
    "kdc": "khu dân cư",
    "tdp": "tổ dân phố",
    "ctxh": "chính trị – xã hội",
    "bhyt": "bảo hiểm y tế",
    "bhxh": "bảo hiểm xã hội",
    "nq": "nghị quyết",
    "tw": "Trung ương",
    "thcs": "trung học cơ sở",
    "thpt": "trung học phổ thông",
    "dn": "doanh nghiệp",
    "hkd": "hộ kinh doanh",
    "htx": "hợp tác xã",
    "ktra": "kiểm tra",
    "gsat": "giám sát",
    "tp": "thành phố",
}
# Short keys that are also Vietnamese syllables: expanded only inside a hyphenated abbreviation.
_SPLIT_ONLY = {"an", "qp", "gd", "dv", "dn", "tp", "tw", "cnh", "hdh", "nq"}
_WORD_ONLY = {"an", "gd", "dn", "tp"}  # never alone as a whole token
_ABBR_SPAN = re.compile(r"[A-Za-zĐđ]{1,6}(?:\s?[-–/&]\s?[A-Za-zĐđ]{1,6})+|[A-Za-zĐđ]{2,7}")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    return "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)).lower()


def fold(text: str) -> str:
    """Lowercase without diacritics: 'Đề nghị' -> 'de nghi'."""
    return "".join(_fold_char(c) for c in nfc(text).lower())


def has_diacritics(text: str) -> bool:
    return any(ord(c) > 127 and c.isalpha() for c in text)


def has_abbreviation(text: str) -> bool:
    """An all-capital token that the dictionary expands (KT-XH, ANTT): a summary reads better without."""
    return any(
        span.isupper() and re.sub(r"[^a-z]", "", fold(span)) in ABBREVIATIONS
        for span in _ABBR_SPAN.findall(text)
    )


# Openings that carry no content: who speaks, where in the draft, an agreement before the proposal.
_OPENING = re.compile(
    r"^\s*(?:(?:ý kiến|góp ý|theo chúng tôi|chi bộ đề nghị|kính đề nghị[^:]{0,60}:|"
    r"(?:tại\s+)?(?:mục|phần)\s+(?:thứ\s+)?{n}(?:[ ,]+(?:phần|mục)\s+(?:thứ\s+)?{n})?|"
    r"(?:cơ bản\s+)?(?:thống nhất|nhất trí|tán thành)(?: cao)?(?: với dự thảo)?[,;]?\s*(?:tuy nhiên|nhưng)?)"
    r"\s*[:,;.]?\s*)+".replace("{n}", r"(?:\d+|[IVXivx]+|nhất|hai|ba|tư|năm|sáu|bảy|tám|chín|mười)\b"),
    re.IGNORECASE,
)


def clean_wording(text: str) -> str:
    """A comment as a summary: whitespace normalised, content-free openings dropped, first letter capital."""
    text = " ".join(nfc(text).split())
    m = _OPENING.match(text)
    rest = text[m.end() :] if m else text
    if len(rest) < 8:  # nothing but an opening: keep the comment as it was
        rest = text
    return rest[:1].upper() + rest[1:]


def expand_abbreviations(text: str) -> str:
    """Text with known abbreviations (any case, with or without hyphens) replaced by their words."""

    def repl(m: re.Match[str]) -> str:
        span = m.group(0)
        letters = re.sub(r"[^a-z]", "", fold(span))
        joined = letters in ABBREVIATIONS and letters not in _WORD_ONLY
        hyphenated = bool(re.search(r"[-–/&]", span))
        # a lowercase word that is a syllable ("an", "dn") stays; capitals or hyphens mark an abbreviation
        if joined and (hyphenated or span.isupper() or letters not in _SPLIT_ONLY):
            if span.islower() and letters in _SPLIT_ONLY:
                return span
            return ABBREVIATIONS[letters]
        if hyphenated:
            pieces = [fold(p) for p in re.split(r"\s?[-–/&]\s?", span)]
            if all(p in ABBREVIATIONS for p in pieces):
                return ", ".join(ABBREVIATIONS[p] for p in pieces)
        return span

    return _ABBR_SPAN.sub(repl, text)


# Compounds whose syllables look like direction words (folded: 'ha tang' is hạ tầng, not hạ + tăng).
_COMPOUNDS = [
    "ha tang",
    "tang truong",
    "tang cuong",
    "nang cao",
    "giam sat",
    "giam doc",
    "giam dinh",
    "giam ngheo",
    "bo sung",
    "bo tri",
    "can bo",
    "bo may",
    "toan bo",
    "dang bo",
    "chi bo",
    "bo phan",
    "dong bo",
    "tien bo",
    "so bo",
    "bo doi",
    "bo nganh",
    "bo tieu chi",
    "bo chi so",
    "nang luc",
    "nang suat",
    "nang dong",
    "nang luong",
    "kha nang",
    "chuc nang",
    "tiem nang",
    "ky nang",
    "cao tang",
    "tang lop",
    "giu gin",
    "khong gian",
    "ha noi",
    "cam ket",
    "tinh cam",
    "cam nhan",
    "cam on",
    "nhay cam",
    "cam xuc",
    "cam tinh",
    "tang gia",
    "qua tang",
    "tham gia",
    "tham muu",
    "tham dinh",
    "them vao",
    "cho phep",
    "bo chinh tri",
    "bo truong",
    "bo luat",
    "bo y te",
    "bo cong an",
    "bo quoc phong",
    "bo noi vu",
    "bo tai chinh",
    "trao tang",
    "tang qua",
    "bo mat",
    "bo cuc",
    "khong chi",
]


def join_compounds(folded: str) -> str:
    """Folded text with look-alike compounds joined ('ha tang' -> 'ha_tang'), so 'hạ tầng' is not 'hạ'."""
    folded = re.sub(r"\bbo sung\b", "bo_sung", folded)  # first: 'cần bổ sung' is not 'cán bộ' + 'sung'
    return _COMPOUND_RE.sub(lambda m: m.group(1).replace(" ", "_"), folded)


_COMPOUND_RE = re.compile(
    r"\b(" + "|".join(re.escape(c) for c in sorted(_COMPOUNDS, key=len, reverse=True)) + r")\b"
)

# Direction phrases (folded, after compounds are joined with '_').
_DIRECTIONS: dict[str, str] = {
    "tang": "up",
    "nang len": "up",
    "nang muc": "up",
    "nang chi tieu": "up",
    "nang ty le": "up",
    "nang": "up",
    "cao hon": "up",
    "nhieu hon": "up",
    "mo rong": "up",
    "day len": "up",
    "giam": "down",
    "ha": "down",
    "ha xuong": "down",
    "thap hon": "down",
    "it hon": "down",
    "thu hep": "down",
    "cat giam": "down",
    "rut xuong": "down",
    "cho_phep": "allow",
    "khuyen khich": "allow",
    "cam": "ban",
    "nghiem cam": "ban",
    "ngan cam": "ban",
    "bo": "remove",
    "loai bo": "remove",
    "luoc bo": "remove",
    "xoa": "remove",
    "bai bo": "remove",
    "bo di": "remove",
    "giu": "keep",
    "giu nguyen": "keep",
    "giu lai": "keep",
    "sap nhap": "merge",
    "hop nhat": "merge",
    "nhap lai": "merge",
    "tach": "split",
    "chia tach": "split",
    "bo_sung": "add",
    "them": "add",
    "them_vao": "add",
    "dua vao": "add",
}
# Directions that contradict each other: a change against keeping as is, more against less, …
OPPOSITE: dict[str, frozenset[str]] = {
    "up": frozenset({"down", "keep"}),
    "down": frozenset({"up", "keep"}),
    "allow": frozenset({"ban"}),
    "ban": frozenset({"allow"}),
    "remove": frozenset({"keep", "add"}),
    "add": frozenset({"remove"}),
    "keep": frozenset({"remove", "up", "down", "merge", "split"}),
    "merge": frozenset({"keep", "split"}),
    "split": frozenset({"merge", "keep"}),
}
_NEGATIONS = {"khong", "chua", "dung", "khong nen", "khong duoc"}
_FLIP = {
    "up": "down",
    "down": "up",
    "allow": "ban",
    "ban": "allow",
    "remove": "keep",
    "keep": "remove",
    "add": "remove",
    "merge": "keep",
    "split": "keep",
}
_MAX_PHRASE = 3

_SECTION_REF = re.compile(
    r"\b(muc|phan|tieu muc|chuong|dieu|khoan|doan|trang|dong)\s+(?:so\s+|thu\s+)?"
    r"([ivx]+|\d+|nhat|hai|ba|tu|nam|sau|bay|tam|chin|muoi)\b(?:\s*[.,]\s*\d+)*"
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")

_STOP_TEXT = """
va cua cac nhung la thi ma o voi de duoc da se dang cung nay do trong tren cho ve mot so nhieu can nen
phai co khong hon rat nua theo tai tu den khi vao ra lai nhu the nao hay hoac boi vi neu tuy nhien duoi
sau truoc chung ta toi minh ban y kien nghi xuat thao bao cao noi dung dong chi van ban phan muc doan cau
cum tu viec cong tac tinh hinh thuc hien tiep nhat trong tam ro hon cho nhung nham tot them day manh
huong toi thoi gian qua gop kinh xem xet chung toi bch phuong hien nay
"""
STOPWORDS = frozenset(_STOP_TEXT.split())


@dataclass(frozen=True)
class Key:
    """What the engine compares: content tokens (folded), numbers, directions, section references."""

    tokens: tuple[str, ...]
    numbers: frozenset[str]
    directions: frozenset[str]
    refs: tuple[tuple[str, str], ...]
    folded: str


_ORDINALS = {
    "nhat": 1,
    "hai": 2,
    "ba": 3,
    "tu": 4,
    "nam": 5,
    "sau": 6,
    "bay": 7,
    "tam": 8,
    "chin": 9,
    "muoi": 10,
}


def roman(s: str) -> str:
    if s in _ORDINALS:
        return str(_ORDINALS[s])
    values = {"i": 1, "v": 5, "x": 10}
    if not set(s) <= set(values):
        return s
    total = 0
    for a, b in zip(s, s[1:] + " ", strict=True):
        v = values[a]
        total += -v if b in values and values[b] > v else v
    return str(total)


def _directions(words: list[str]) -> frozenset[str]:
    found: set[str] = set()
    i = 0
    while i < len(words):
        for size in range(_MAX_PHRASE, 0, -1):
            phrase = " ".join(words[i : i + size])
            label = _DIRECTIONS.get(phrase)
            if label is None:
                continue
            before = {words[j] for j in range(max(0, i - 2), i)} | {" ".join(words[max(0, i - 2) : i])}
            if before & _NEGATIONS:
                label = _FLIP[label]
            found.add(label)
            i += size - 1
            break
        i += 1
    return frozenset(found)


def make_key(text: str) -> Key:
    expanded = expand_abbreviations(nfc(text))
    folded = fold(expanded)
    refs = tuple((m.group(1), roman(m.group(2))) for m in _SECTION_REF.finditer(folded))
    body = _SECTION_REF.sub(" ", folded)
    numbers = frozenset(n.replace(",", ".").rstrip(".") for n in _NUMBER.findall(body))
    body = _NUMBER.sub(" ", body)
    joined = join_compounds(body)
    words = re.findall(r"[a-z_]+", joined)
    directions = _directions(words)
    tokens = tuple(t for w in words for t in (w.split("_") if "_" in w else [w]) if t not in STOPWORDS)
    return Key(tokens=tokens, numbers=numbers, directions=directions, refs=refs, folded=folded)


def _years(numbers: frozenset[str]) -> frozenset[str]:
    return frozenset(n for n in numbers if n.isdigit() and len(n) == 4 and 1900 <= int(n) <= 2100)


def conflicts(a: Key, b: Key) -> bool:
    """Opposite proposals: other numbers for the same target, or opposite directions."""
    na, nb = a.numbers, b.numbers
    ya, yb = _years(na), _years(nb)
    if bool(ya) != bool(yb):  # "by 2030" said by one only is a time, not another figure
        na, nb = na - ya, nb - yb
    if na and nb and na != nb:
        # "raise it to 12%" vs "it is 10%, raise it to 12%" is one point; a subset with other directions is not
        nested = na <= nb or nb <= na
        if not nested or a.directions != b.directions:
            return True
    for x, y in ((a, b), (b, a)):
        if x.numbers and x.directions & {"up", "down"} and not y.numbers:
            return True  # "lower it to 60%" is not the same point as a remark without a figure
    refs_a, refs_b = set(a.refs), set(b.refs)
    if refs_a and refs_b and {k for k, _ in refs_a} == {k for k, _ in refs_b} and refs_a != refs_b:
        return True  # "mục 3" and "mục 4" are other targets
    only_a, only_b = a.directions - b.directions, b.directions - a.directions
    return any(OPPOSITE[d] & only_b for d in only_a)


def features(key: Key) -> list[str]:
    """Unigrams and adjacent bigrams of the content tokens (bigrams stand in for Vietnamese compounds)."""
    t = key.tokens
    return list(t) + [f"{a} {b}" for a, b in itertools.pairwise(t)]
