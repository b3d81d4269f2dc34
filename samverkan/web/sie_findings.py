"""What each SIE finding means and what to do about it, in Swedish, for the upload's preview.

The reader (samverkan.finance.sie) knows no Django and writes its detailed messages in
English for the command line; the preview shows none of them. It shows, per finding, the
meaning of its code, what to do (docs/sie.md has the same table; a test checks that every
code there has a text here), its line and its figures (`Diagnostic.figures`) under Swedish
names, with the code itself as a small reference.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from samverkan.finance.sie import Diagnostic
from samverkan.lib.money import format_amount

FINDING_TEXTS: dict[str, Promise] = {
    "account_not_numeric": _("Ett kontonummer innehåller annat än siffror."),
    "account_too_long": _("Ett kontonummer har fler än sex siffror."),
    "account_too_short": _("Ett kontonummer har färre än fyra siffror."),
    "undeclared_account": _("Ett konto används men finns inte i filens kontoplan (#KONTO)."),
    "sru_undeclared_account": _("En SRU-kod gäller ett konto som inte finns i kontoplanen."),
    "period_balance_without_objects": _(
        "Periodsaldon saknar objektlistan {}; de lästes som saldon för hela kontot."
    ),
    "missing_object_list": _("En post saknar sin objektlista."),
    "bad_object_list": _("Något annat än en objektlista står där objektlistan ska stå."),
    "odd_object_list": _("En objektlista har ett udda antal delar; den sista ignorerades."),
    "ver_without_series": _(
        "Verifikationer saknar serie helt; fältet före datumet lästes som numret."
    ),
    "extra_fields": _("En post i filhuvudet har fler fält än formatet anger; de ignorerades."),
    "unquoted_text": _("Ett namn i flera ord saknar citattecken; det lästes i sin helhet."),
    "empty_company_name": _("Filen anger inget företagsnamn (#FNAMN)."),
    "fiscal_years_overlap": _("Två räkenskapsår överlappar varandra (#RAR)."),
    "fiscal_years_gap": _("Det är ett glapp mellan två räkenskapsår (#RAR)."),
    "duplicate_year": _("Samma räkenskapsår anges två gånger; det senare används."),
    "org_number_form": _("Organisationsnumret är inte skrivet NNNNNN-NNNN."),
    "missing_program_version": _("Filen anger inte programmets version."),
    "unknown_kptyp": _("Kontoplanstypen (#KPTYP) är ingen som formatet känner."),
    "voucher_number_in_4i": _("Verifikationerna i en importfil (4I) har nummer."),
    "long_series": _("Verifikationsserier med flera tecken."),
    "address_incomplete": _("Adressen (#ADRESS) saknar delar."),
    "unbalanced_voucher": _("En verifikation balanserar inte: raderna summerar inte till noll."),
    "unreadable_rows": _("En verifikation har rader som inte kunde läsas."),
    "empty_voucher": _("En verifikation saknar rader."),
    "rtrans_without_twin": _("En tillagd rad (#RTRANS) saknar sin #TRANS; den räknades med."),
    "missing_opening_brace": _("En verifikation saknar sin inledande klammer {."),
    "missing_closing_brace": _("En verifikation saknar sin avslutande klammer }."),
    "unexpected_brace": _("En klammer står utanför en verifikation."),
    "trans_outside_voucher": _("En rad står utanför en verifikation och ignorerades."),
    "bad_amount": _("Ett belopp är inget tal; posten ignorerades."),
    "bad_date": _("Ett datum är ogiltigt."),
    "bad_period": _("En period är inte skriven ÅÅÅÅMM."),
    "bad_field": _("Ett fält som ska vara ett heltal är det inte."),
    "missing_field": _("En post saknar ett fält den behöver."),
    "bad_quantity": _("En kvantitet är inget tal; den ignorerades."),
    "bad_account_type": _("En kontotyp (#KTYP) är okänd; den ignorerades."),
    "duplicate_account": _("Ett konto anges två gånger; det senare namnet används."),
    "duplicate_object": _("Ett objekt anges två gånger; det senare används."),
    "record_out_of_order": _("En post står efter poster ur en senare grupp; den användes ändå."),
    "unknown_label": _("En okänd post ignorerades."),
    "not_a_record": _("En rad är ingen post (börjar inte med #) och ignorerades."),
    "unterminated_quote": _("Ett citerat fält saknar avslutande citattecken."),
    "unterminated_object_list": _("En objektlista saknar avslutande }."),
    "stray_brace": _("En klammer på fel ställe ignorerades."),
    "flagga_not_first": _("Filen börjar inte med #FLAGGA."),
    "unknown_format": _("Teckenformatet (#FORMAT) är inte PC8."),
    "unknown_sie_type": _("SIE-typen är inte 1–4."),
    "missing_sietyp": _("Filen anger ingen SIE-typ; typ 1 antas."),
    "missing_omfattn": _("Periodsaldon utan #OMFATTN (till vilket datum de gäller)."),
    "implausible_omfattn": _("#OMFATTN ligger utanför räkenskapsåret."),
    "vouchers_in_balance_file": _("En saldofil (typ 1–3) innehåller verifikationer."),
    "no_records": _("Filen innehåller inga SIE-poster."),
    "io_error": _("Filen kunde inte läsas."),
    "encoding_cp437": _("Filen lästes som CP437, det teckenformat SIE föreskriver."),
    "encoding_utf8": _("Filen är i UTF-8 fast SIE föreskriver CP437; den lästes som UTF-8."),
    "encoding_cp1252": _("Filen är i Windows-1252; den lästes så."),
    "encoding_latin1": _("Svenska bokstäver i fel teckenformat på en rad."),
    "lossy_text": _("Bokstäver har gått förlorade i filen innan den kom hit."),
    "ksumma_verified": _("Kontrollsumman (#KSUMMA) stämmer."),
    "ksumma_mismatch": _("Kontrollsumman stämmer inte: filen är ändrad efter exporten."),
    "ksumma_alternative_reading": _("Kontrollsumman stämmer bara med en alternativ läsning."),
    "ksumma_misplaced": _("En #KSUMMA står där ingen hör hemma."),
    "after_ksumma": _("Poster efter den avslutande kontrollsumman."),
    "truncated": _("Filen är avkortad: den avslutande kontrollsumman saknas."),
    "missing_ksumma": _("Filen saknar kontrollsumma."),
    "suppressed_diagnostics": _("Fler fynd av samma slag räknades men listas inte."),
    "reconciliation_difference": _("Ett konto stämmer inte: filen verkar sakna verifikationer."),
    "unclassified_account": _("Konton som varken är balans- eller resultatkonton stämdes inte av."),
    "no_opening_balances": _("Filen saknar ingående balanser; de räknades som noll."),
    "year_not_in_file": _("Filens räkenskapsår är inte året som importeras."),
    "voucher_outside_year": _("En verifikation är daterad utanför året."),
    "unknown_object": _("Det valda objektet finns inte i filen."),
    "bad_object": _("Objektet är inte skrivet DIM:ID."),
    "unmapped_account": _("Ett konto saknar kostnadsslag i kontomappningen."),
    "amount_too_large": _(
        "Ett belopp är för stort för bokföringen (tusen miljarder kronor eller mer)."
    ),
    "mapping_unknown_category": _("Kontomappningen anger ett kostnadsslag som inte finns."),
    "unknown_fund": _("Kontomappningen anger en fond som inte finns."),
    "no_operating_fund": _("Året saknar driftfond."),
    "unknown_project": _("Kontomappningen anger ett projekt som inte finns."),
    "already_imported": _("Året har redan en import från en annan fil."),
    "year_locked": _("Året är beslutat eller publicerat och därför låst."),
}

NOTHING = _("Inget behöver göras.")
EXPORT_AGAIN = _("Ta ut filen på nytt ur ekonomisystemet.")

# What the user should do, per code (docs/sie.md, "What to do"); a code not here needs nothing.
FINDING_ACTIONS: dict[str, Promise] = {
    "account_not_numeric": _(
        "Rätta kontoplanen i ekonomisystemet och ta ut filen på nytt; sådana konton är "
        "oftast systemets egna avräkningskonton."
    ),
    "account_too_long": _("Rätta kontoplanen i ekonomisystemet och ta ut filen på nytt."),
    "account_too_short": _(
        "Kontrollera kontot i ekonomisystemet; mappa det för hand om det behövs."
    ),
    "undeclared_account": _("Be om en fil som har med kontoplanen; raderna lästes ändå."),
    "sru_undeclared_account": _("Oftast ofarligt; kontrollera att filen är fullständig."),
    "missing_object_list": _("Är det ett fel: ta ut filen på nytt."),
    "bad_object_list": _("Kontrollera radens kostnadsställe i ekonomisystemet."),
    "odd_object_list": _("Kontrollera radens objekt."),
    "extra_fields": _("Kontrollera postens värde i filhuvudet."),
    "unquoted_text": _("Kontrollera företagsnamnet."),
    "empty_company_name": _("Kontrollera att filen är rätt organisations export."),
    "fiscal_years_overlap": _("Kontrollera räkenskapsåren i ekonomisystemet."),
    "fiscal_years_gap": _("Kontrollera räkenskapsåren i ekonomisystemet."),
    "duplicate_year": _("Kontrollera räkenskapsåren i ekonomisystemet."),
    "unbalanced_voucher": _("Rätta verifikationen i ekonomisystemet och ta ut filen på nytt."),
    "unreadable_rows": _("Ta ut filen på nytt; se radernas egna fynd."),
    "empty_voucher": _("Inget behöver göras; oftast en makulerad verifikation."),
    "rtrans_without_twin": _("Kontrollera verifikationen."),
    "missing_opening_brace": EXPORT_AGAIN,
    "missing_closing_brace": _("Filen är avkortad eller skadad: ta ut den på nytt."),
    "unexpected_brace": EXPORT_AGAIN,
    "trans_outside_voucher": EXPORT_AGAIN,
    "bad_amount": EXPORT_AGAIN,
    "bad_date": EXPORT_AGAIN,
    "bad_period": EXPORT_AGAIN,
    "bad_field": EXPORT_AGAIN,
    "missing_field": _("Är det ett fel: ta ut filen på nytt."),
    "not_a_record": _("Kontrollera om filen har ändrats för hand."),
    "unterminated_object_list": _("Kontrollera radens objekt."),
    "stray_brace": _("Kontrollera raden."),
    "flagga_not_first": _("Kontrollera att det är hela filen."),
    "unknown_sie_type": _("Kontrollera inställningarna för exporten."),
    "missing_omfattn": _("Ta ut filen på nytt med periodens slutdatum."),
    "implausible_omfattn": _("Kontrollera exportens period."),
    "vouchers_in_balance_file": _("Ta ut filen som SIE typ 4."),
    "no_records": _("Välj själva SIE-filen."),
    "io_error": _("Försök igen; kontrollera filen."),
    "encoding_utf8": _("Kontrollera bokstäverna å, ä och ö i namnen."),
    "encoding_cp1252": _("Kontrollera bokstäverna i namnen."),
    "encoding_latin1": _("Kontrollera namnen på raden."),
    "lossy_text": EXPORT_AGAIN,
    "ksumma_mismatch": _("Ta ut filen på nytt; ändra inte SIE-filer för hand."),
    "ksumma_misplaced": _("Kontrollera att det är hela filen."),
    "after_ksumma": _("Kontrollera att inget har lagts till i filen efteråt."),
    "truncated": EXPORT_AGAIN,
    "missing_ksumma": _("Ta ut filen med kontrollsumma."),
    "suppressed_diagnostics": _("Se de fynd av samma slag som listas."),
    "reconciliation_difference": _("Ta ut filen på nytt med årets alla verifikationer."),
    "year_not_in_file": _(
        "Ladda upp filen under det år den gäller, eller ta ut filen för det här året ur "
        "ekonomisystemet."
    ),
    "voucher_outside_year": _("Ta ut en fil med bara det här året."),
    "amount_too_large": _("Filen är skadad: ta ut den på nytt."),
    "unknown_object": _("Kontrollera kostnadsstället."),
    "bad_object": _("Skriv objektet som dimension:id, t.ex. 1:1510."),
    "unmapped_account": _("Lägg till en kontomappning för kontot."),
    "mapping_unknown_category": _("Rätta kontomappningen."),
    "unknown_fund": _("Rätta kontomappningen eller lägg till fonden."),
    "no_operating_fund": _("Ange årets driftfond."),
    "unknown_project": _("Rätta kontomappningen eller lägg till projektet."),
    "already_imported": _("Ersätt den tidigare importen (bekräfta ersättningen)."),
    "year_locked": _("Öppna året igen först."),
}

# The Swedish name of each figure a finding carries (Diagnostic.figures); others are not shown.
FIGURE_LABELS: dict[str, Promise] = {
    "account": _("konto"),
    "record": _("post"),
    "digits": _("antal siffror"),
    "expected": _("väntat"),
    "found": _("funnet"),
    "text": _("text"),
    "words": _("antal ord"),
    "series": _("serie"),
    "number": _("nummer"),
    "voucher": _("verifikation"),
    "total": _("summa"),
    "amount": _("belopp"),
    "missing": _("saknas"),
    "org_number": _("organisationsnummer"),
    "kptyp": _("kontoplanstyp"),
    "program": _("program"),
    "count": _("antal"),
    "days": _("dagar"),
    "earlier": _("tidigare år"),
    "earlier_end": _("tidigare år slutar"),
    "later": _("senare år"),
    "later_start": _("senare år börjar"),
    "opening": _("ingående saldo"),
    "movements": _("verifikationer"),
    "closing_expected": _("väntat utgående saldo"),
    "closing_stated": _("angivet utgående saldo"),
    "stated": _("angivet"),
    "difference": _("skillnad"),
    "value": _("värde"),
    "date": _("datum"),
    "period": _("period"),
    "first_line": _("första rad"),
    "file_start": _("filens år börjar"),
    "file_end": _("filens år slutar"),
    "year": _("år"),
    "object": _("objekt"),
    "category": _("kostnadsslag"),
    "fund": _("fond"),
    "project": _("projekt"),
    "rows": _("rader"),
    "sie_type": _("SIE-typ"),
    "accounts": _("konton"),
    "file": _("fil"),
    "vouchers": _("verifikationer"),
    "file_year": _("filens år"),
    "finding": _("slag av fynd"),
}
# The parts of an address (#ADRESS) the reader names in English (figure `missing`).
ADDRESS_PARTS: dict[str, Promise] = {
    "contact": _("kontaktperson"),
    "street": _("utdelningsadress"),
    "postal address": _("postadress"),
    "telephone": _("telefon"),
}


@dataclass(frozen=True, slots=True)
class FindingView:
    """One finding as the preview shows it, in the user's language."""

    level: str
    line: int | None
    code: str
    meaning: str
    action: str
    figures: tuple[tuple[str, str], ...]


def figure_text(key: str, value: object) -> str:
    """A figure as the page prints it: amounts grouped, dates written out, the rest as is."""
    if key == "finding" and isinstance(value, str):
        return str(FINDING_TEXTS.get(value, value))
    if key == "missing" and isinstance(value, str):
        return ", ".join(str(ADDRESS_PARTS.get(part, part)) for part in value.split(", "))
    lang = "en" if (get_language() or "sv").startswith("en") else "sv"
    if isinstance(value, Decimal):
        return format_amount(value, lang=lang)
    if isinstance(value, dt.date):
        return date_format(value, "j F Y")
    return str(value)


def describe(diagnostic: Diagnostic) -> FindingView:
    """The finding's meaning, what to do, its line and its figures, for the preview."""
    figures = tuple(
        (str(FIGURE_LABELS[key]), figure_text(key, value))
        for key, value in diagnostic.figures.items()
        if key in FIGURE_LABELS
        and value not in (None, "")
        and not (key == "first_line" and value == diagnostic.line)
    )
    meaning = FINDING_TEXTS.get(diagnostic.code)
    return FindingView(
        level=diagnostic.severity,
        line=diagnostic.line,
        code=diagnostic.code,
        meaning=str(meaning) if meaning else str(_("Ett fynd utan förklaring på svenska.")),
        action=str(FINDING_ACTIONS.get(diagnostic.code, NOTHING)),
        figures=figures,
    )
