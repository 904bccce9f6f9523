"""Tests for dialogs.sensitive: warning when a KAA note looks like it holds sensitive data."""

from __future__ import annotations

import pytest

from dialogs.sensitive import (
    SENSITIVE_STEMS,
    SensitiveFinding,
    find_sensitive_terms,
    sensitive_warning,
)


def categories(text: str) -> list[str]:
    return [finding.category for finding in find_sensitive_terms(text)]


@pytest.mark.parametrize(
    ("note", "category", "term"),
    [
        # diagnos
        ("Har ADHD enligt mamma", "diagnos", "ADHD"),
        ("Väntar på ADHD-utredning", "diagnos", "ADHD"),
        ("Misstänkt autism", "diagnos", "autism"),
        ("Är autistisk och behöver lugn miljö", "diagnos", "autistisk"),
        ("Har fått en diagnos i våras", "diagnos", "diagnos"),
        ("Blev diagnostiserad förra året", "diagnos", "diagnostiserad"),
        ("NPF-diagnos enligt skolan", "diagnos", "NPF"),
        ("Har dyslexi, behöver stöd i svenska", "diagnos", "dyslexi"),
        ("Asperger enligt tidigare skola", "diagnos", "Asperger"),
        # hälsa
        ("Lider av depression", "hälsa", "depression"),
        ("Känner sig deprimerad", "hälsa", "deprimerad"),
        ("Har mycket ångest inför skolan", "hälsa", "ångest"),
        ("Mår psykiskt dåligt", "hälsa", "psykiskt"),
        ("Är sjukskriven till april", "hälsa", "sjukskriven"),
        ("Heltidssjukskriven sedan januari", "hälsa", "Heltidssjukskriven"),
        ("Lämnade in läkarintyg", "hälsa", "läkarintyg"),
        ("Har kontakt med BUP", "hälsa", "BUP"),
        ("Har kontakt med barnpsykiatrin", "hälsa", "barnpsykiatrin"),
        ("Går till psykiatrin varje vecka", "hälsa", "psykiatrin"),
        ("Tar medicin varje morgon", "hälsa", "medicin"),
        ("Har slutat med medicineringen", "hälsa", "medicineringen"),
        ("Är gravid i femte månaden", "hälsa", "gravid"),
        ("Var inlagd på sjukhuset", "hälsa", "sjukhuset"),
        ("Har en långvarig sjukdom", "hälsa", "sjukdom"),
        ("Psykisk ohälsa enligt kuratorn", "hälsa", "Psykisk"),
        # missbruk
        ("Missbruk i hemmet", "missbruk", "Missbruk"),
        ("Har missbrukat i perioder", "missbruk", "missbrukat"),
        ("Alkoholmissbruk hos pappa", "missbruk", "Alkoholmissbruk"),
        ("Problem med droger", "missbruk", "droger"),
        ("Har testat narkotika", "missbruk", "narkotika"),
        ("Dricker mycket alkohol på helgerna", "missbruk", "alkohol"),
        ("Röker cannabis", "missbruk", "cannabis"),
        # övergrepp
        ("Utsatt för misshandel av styvpappa", "övergrepp", "misshandel"),
        ("Blev misshandlad i somras", "övergrepp", "misshandlad"),
        ("Har varit med om övergrepp", "övergrepp", "övergrepp"),
        ("Anmälde en våldtäkt", "övergrepp", "våldtäkt"),
        ("Utsatt för våld i hemmet", "övergrepp", "våld"),
        ("Våldet i familjen har fortsatt", "övergrepp", "Våldet"),
        ("Hedersrelaterat förtryck", "övergrepp", "Hedersrelaterat"),
        # etnicitet
        ("Familjen har etnisk bakgrund från Syrien", "etnicitet", "etnisk"),
        ("Pratade om hennes etnicitet", "etnicitet", "etnicitet"),
        ("Romsk familj", "etnicitet", "Romsk"),
        # religion
        ("Är muslim och ber fem gånger om dagen", "religion", "muslim"),
        ("Familjen är muslimsk", "religion", "muslimsk"),
        ("Är kristen och går i kyrkan", "religion", "kristen"),
        ("Religionen är viktig för familjen", "religion", "Religionen"),
        ("Mycket religiös familj", "religion", "religiös"),
        ("Vill inte jobba under ramadan", "religion", "ramadan"),
        ("Går i moskén på fredagar", "religion", "moskén"),
        # sexualitet
        ("Har berättat att han är homosexuell", "sexualitet", "homosexuell"),
        ("Träffas på en HBTQ-träff", "sexualitet", "HBTQ"),
        ("Är bisexuell", "sexualitet", "bisexuell"),
        ("Pratade om sin sexualitet", "sexualitet", "sexualitet"),
        ("Är transperson", "sexualitet", "transperson"),
        # brott
        ("Är polisanmäld för stöld", "brott", "polisanmäld"),
        ("Blev dömd till ungdomstjänst", "brott", "dömd"),
        ("Misstänkt för brott", "brott", "brott"),
        ("Åtalad för rån", "brott", "Åtalad"),
        ("Satt häktad i två veckor", "brott", "häktad"),
        ("Kriminell umgängeskrets", "brott", "Kriminell"),
        ("Gängkriminalitet i området", "brott", "Gängkriminalitet"),
        ("Åkte fast för snatteri", "brott", "snatteri"),
        # politisk åsikt
        ("Engagerad i en politisk rörelse", "politisk åsikt", "politisk"),
        # tvångsvård
        ("Placerad enligt LVU", "tvångsvård", "LVU"),
        ("Omhändertagen av socialtjänsten", "tvångsvård", "Omhändertagen"),
    ],
)
def test_sensitive_words_are_found(note: str, category: str, term: str) -> None:
    assert SensitiveFinding(category, term) in find_sensitive_terms(note)


@pytest.mark.parametrize(
    ("note", "category", "term"),
    [
        ("har adhd", "diagnos", "adhd"),
        ("Har Adhd", "diagnos", "Adhd"),
        ("HAR ÅNGEST", "hälsa", "ÅNGEST"),
        ("har angest", "hälsa", "angest"),
        ("ar sjukskriven", "hälsa", "sjukskriven"),
        ("lamnade lakarintyg", "hälsa", "lakarintyg"),
        ("utsatt for overgrepp", "övergrepp", "overgrepp"),
        ("valdtakt anmald", "övergrepp", "valdtakt"),
        ("polisanmald i mars", "brott", "polisanmald"),
        ("blev domd", "brott", "domd"),
        ("mycket religios", "religion", "religios"),
        ("gar till moskén", "religion", "moskén"),
        ("gar till mosken", "religion", "mosken"),
        ("psykisk ohalsa", "hälsa", "psykisk"),
        ("omhandertagen", "tvångsvård", "omhandertagen"),
    ],
)
def test_case_and_missing_swedish_letters(note: str, category: str, term: str) -> None:
    assert SensitiveFinding(category, term) in find_sensitive_terms(note)


@pytest.mark.parametrize(
    "note",
    [
        "Ringde, ingen svarade",
        "Vill börja på el-programmet",
        "Praktik på ICA",
        "Skickade brev om KAA och hembesök",
        "Hembesök genomfört, träffade vårdnadshavare",
        "Medverkan i kartläggningssamtal",
        "Intresserad av mediaprogrammet",
        "Sjunger i kör och vill läsa estetiska programmet",
        "Har avbrott från gymnasiet sedan januari",
        "Studieavbrott på natur, vill byta program",
        "Valde att hoppa av barn- och fritidsprogrammet",
        "Blev vald till elevrådet i nian",
        "Drog sig ur praktiken efter två veckor",
        "Vill bli polis efter gymnasiet",
        "Vill jobba inom vården, söker vård- och omsorgsprogrammet",
        "Läser religionskunskap och svenska på komvux",
        "Pratade med kuratorn och SYV om introduktionsprogram",
        "Har kontakt med socialtjänsten om ekonomiskt bistånd",
        "Har sommarjobb på Saab, vill jobba med Gripen",
        "Skickade sms, väntar på svar",
        "Anmäld till kursen i matte 1a",
        "Flyttat till Norrköping, meddelat hemkommunen",
        "Mår bra, trivs på jobbet",
        "Träffade arbetsmarknadshandledaren på kommunens ungdomsverksamhet",
        "Har fått gymnasieexamen via komvux",
        "Beroende på besked från skolan börjar hon i augusti",
        "Vill läsa till undersköterska",
        "Ska göra språkintroduktion, nyanländ från Ukraina",
        "Hälsade på hos familjen, planerar nytt möte",
        "Sex veckors praktik på förskola",
        "Ringde mamma, hon kom inte till mötet",
        "Utvald till sommarjobb i parkförvaltningen",
    ],
)
def test_ordinary_notes_do_not_trigger(note: str) -> None:
    assert find_sensitive_terms(note) == []
    assert sensitive_warning(find_sensitive_terms(note)) is None


def test_words_are_matched_whole_not_inside_ordinary_words() -> None:
    assert categories("praktik medverkan mediaprogrammet sjunger avbrott valde vald") == []
    assert categories("medicin medverkan") == ["hälsa"]


def test_findings_keep_the_word_as_written_and_in_reading_order() -> None:
    findings = find_sensitive_terms("Har ADHD, dricker alkohol och är Muslim.")
    assert findings == [
        SensitiveFinding("diagnos", "ADHD"),
        SensitiveFinding("missbruk", "alkohol"),
        SensitiveFinding("religion", "Muslim"),
    ]


def test_a_repeated_word_is_reported_once() -> None:
    findings = find_sensitive_terms("ADHD. Pratade om ADHD och adhd-medicin.")
    assert [finding.term for finding in findings] == ["ADHD", "medicin"]


def test_empty_note_has_no_findings() -> None:
    assert find_sensitive_terms("") == []
    assert find_sensitive_terms("   ") == []


def test_findings_are_frozen() -> None:
    finding = SensitiveFinding("hälsa", "ångest")
    with pytest.raises(AttributeError):
        finding.category = "brott"  # type: ignore[misc]


def test_every_category_has_stems_and_a_swedish_label() -> None:
    for category, stems in SENSITIVE_STEMS.items():
        assert category == category.lower()
        assert stems
        for stem in stems:
            assert stem == stem.lower()
            assert stem.strip("=*")
            assert " " not in stem


def test_the_categories_the_forordning_names_are_covered() -> None:
    named = {"hälsa", "diagnos", "missbruk", "övergrepp", "etnicitet", "religion", "sexualitet"}
    assert named | {"brott"} <= set(SENSITIVE_STEMS)


# --- the warning -------------------------------------------------------------------------------


def test_no_warning_without_findings() -> None:
    assert sensitive_warning([]) is None


def test_warning_names_one_category() -> None:
    warning = sensitive_warning(find_sensitive_terms("Har ångest inför skolstarten"))
    assert warning is not None
    assert "känsliga uppgifter om hälsa" in warning
    assert "”ångest”" in warning
    assert "får inte dokumenteras" in warning


def test_warning_names_each_category_once_in_swedish_list_form() -> None:
    note = "Har ADHD och autism, dricker alkohol, är polisanmäld och tar medicin mot ångest"
    warning = sensitive_warning(find_sensitive_terms(note))
    assert warning is not None
    assert "om diagnos, missbruk, brott och hälsa " in warning
    assert warning.count("diagnos") == 1


def test_warning_does_not_repeat_the_note() -> None:
    note = "Ringde Kalle på mobilen, han berättade att han har ADHD och vill börja på bygg"
    warning = sensitive_warning(find_sensitive_terms(note))
    assert warning is not None
    assert "ADHD" in warning
    for word in ("Kalle", "mobilen", "bygg", "berättade"):
        assert word not in warning
