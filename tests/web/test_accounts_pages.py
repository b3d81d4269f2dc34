"""The accounts pages: SIE upload with preview and import, account mapping, ledger grid.

The secretariat of Södertörn works on the reopened 2020 with the demo's SIE export of
Huddinge (cost centre 1510 is the cooperation).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from samverkan.audit.models import AuditEntry
from samverkan.demo import DEMO_DIR
from samverkan.finance.models import AccountMapping, CostCategory, Fund, ImportBatch, LedgerLine
from samverkan.members.models import Year
from tests.web.conftest import READER, SECRETARIAT, Place, read_as

DEMO_SIE = DEMO_DIR / "huddinge-2020.se"


@pytest.fixture(autouse=True)
def upload_dir(tmp_path: Path) -> Any:
    with override_settings(SIE_UPLOAD_DIR=tmp_path / "uploads"):
        yield tmp_path / "uploads"


def url(name: str, *args: Any) -> str:
    return reverse(f"web:{name}", args=["sodertorn", 2020, *args])


def upload(
    client: Client, data: bytes, name: str = "huddinge-2020.se", objects: str = "1:1510"
) -> Any:
    return client.post(
        url("sie-upload"), {"file": SimpleUploadedFile(name, data), "objects": objects}
    )


def preview_of(client: Client, data: bytes, **kw: Any) -> tuple[str, str]:
    response = upload(client, data, **kw)
    assert response.status_code == 303, response.content.decode()[:2000]
    location = response["Location"]
    return location, client.get(location).content.decode()


def test_an_upload_shows_the_preview_of_the_dry_run_and_stores_nothing(
    place: Place, client_for: Any
) -> None:
    client = client_for(SECRETARIAT)
    _, page = preview_of(client, DEMO_SIE.read_bytes())
    assert "Förhandsgranskning: huddinge-2020.se" in page
    assert "60 verifikationer lästa, 47 rader att spara" in page
    assert "Alla " in page and "konton stämmer" in page
    assert "Personalkostnader" in page  # lines per fund and category
    assert "Notering" in page and "ksumma_verified" in page  # info-level findings are shown
    assert "Kontrollsumman (#KSUMMA) stämmer." in page
    assert "Importera allt" in page
    assert not LedgerLine.objects.filter(source="sie").exists()


def test_importing_from_the_preview_stores_the_lines_once_audited_and_clears_the_upload(
    place: Place, client_for: Any, upload_dir: Path
) -> None:
    client = client_for(SECRETARIAT)
    location, _ = preview_of(client, DEMO_SIE.read_bytes())
    response = client.post(location, {"import": ""})
    assert response.status_code == 303
    assert response["Location"] == url("accounts")
    assert LedgerLine.objects.filter(source="sie").count() == 47
    batch = ImportBatch.objects.get()
    assert batch.file_name == "huddinge-2020.se"
    assert AuditEntry.objects.filter(action="finance.sie_import").count() == 1
    assert list(upload_dir.rglob("*.se")) == []


def test_cancel_discards_the_upload_and_changes_nothing(
    place: Place, client_for: Any, upload_dir: Path
) -> None:
    client = client_for(SECRETARIAT)
    location, _ = preview_of(client, DEMO_SIE.read_bytes())
    response = client.post(location, {"cancel": ""})
    assert response.status_code == 303
    assert not ImportBatch.objects.exists()
    assert list(upload_dir.rglob("*.se")) == []
    assert client.get(location).status_code == 303  # gone: back to the upload


def test_a_newer_export_shows_the_difference_first_and_then_replaces_the_earlier_import(
    place: Place, client_for: Any
) -> None:
    client = client_for(SECRETARIAT)
    location, _ = preview_of(client, DEMO_SIE.read_bytes())
    client.post(location, {"import": ""})
    data = DEMO_SIE.read_bytes()
    newer = b"\n".join(x for x in data.split(b"\n") if not x.startswith(b"#KSUMMA"))
    newer = newer.replace(b"#GEN 20210108", b"#GEN 20210115")
    line = next(
        x for x in newer.split(b"\n") if x.lstrip().startswith(b"#TRANS 5") and b"1510" in x
    )
    amount = line.split(b"}")[1].split()[0]
    changed = line.replace(b"} " + amount, b"} " + str(float(amount) + 1000).encode(), 1)
    # Keep the voucher balanced: the counter-entry on 1930 takes the thousand.
    newer = newer.replace(line, changed + b"\n#TRANS 1930 {} -1000.00", 1)
    location, page = preview_of(client, newer, name="huddinge-2020-ny.se")
    assert "Skillnad mot den tidigare importen" in page
    assert "Ersätt den tidigare importen med denna fil" in page
    assert "1\u00a0000" in page  # the difference, in kronor
    response = client.post(
        location, {"import": "", "replace": location.rstrip("/").rsplit("/", 1)[1]}
    )
    assert response.status_code == 303
    assert ImportBatch.objects.get().file_name == "huddinge-2020-ny.se"


def test_a_file_that_is_not_sie_is_refused_with_a_message_and_nothing_is_kept(
    place: Place, client_for: Any, upload_dir: Path
) -> None:
    response = upload(client_for(SECRETARIAT), b"%PDF-1.4 not a ledger", name="rapport.pdf")
    assert response.status_code == 400
    assert "rapport.pdf är ingen SIE-fil" in response.content.decode()
    assert list(upload_dir.rglob("*.se")) == []


@override_settings(UPLOAD_MAX_BYTES=1000)
def test_a_file_over_the_size_limit_is_refused_with_a_message_and_nothing_is_kept(
    place: Place, client_for: Any, upload_dir: Path
) -> None:
    response = upload(client_for(SECRETARIAT), DEMO_SIE.read_bytes())
    assert response.status_code == 413
    assert "Filen är större än 1000\u00a0byte och togs inte emot" in response.content.decode()
    assert not upload_dir.exists() or list(upload_dir.rglob("*")) == []


def test_an_unmapped_account_links_to_a_new_mapping_prefilled_with_it(
    place: Place, client_for: Any
) -> None:
    AccountMapping.objects.filter(cooperation=place.coop, account="642").delete()
    client = client_for(SECRETARIAT)
    location, page = preview_of(client, DEMO_SIE.read_bytes())
    assert (
        "Konton utan mappning" in page
        and "unmapped_account" not in page.split("Vad läsningen fann")[1]
    )
    assert "Filen kan inte importeras" in page
    link = url("account-mapping-new") + "?account=6420"
    assert link in page
    form = client.get(link + "&next=" + location).content.decode()
    assert 'value="6420"' in form
    category = CostCategory.objects.get(cooperation=place.coop, slug="ovriga-konsulter")
    response = client.post(
        url("account-mapping-new"), {"account": "6420", "category": category.pk, "next": location}
    )
    assert response.status_code == 303 and response["Location"] == location
    assert "Importera allt" in client.get(location).content.decode()
    assert AuditEntry.objects.filter(action="finance.account_mapping_saved").count() == 1


def test_a_mapping_with_letters_in_the_account_is_refused_by_the_model_rule(
    place: Place, client_for: Any
) -> None:
    category = CostCategory.objects.filter(cooperation=place.coop).first()
    assert category is not None
    response = client_for(SECRETARIAT).post(
        url("account-mapping-new"), {"account": "64A", "category": category.pk}
    )
    assert response.status_code == 400
    assert "en till sex siffror" in response.content.decode()
    assert not AccountMapping.objects.filter(account="64A").exists()


def grid_data(
    fund_lines: list[LedgerLine], new: list[dict[str, Any]], **changes: Any
) -> dict[str, Any]:
    rows = [
        {"id": x.pk, "date": x.date.isoformat(), "category": x.category_id, "text": x.text,
         "amount": str(x.amount)}
        for x in fund_lines
    ] + new  # fmt: skip
    data: dict[str, Any] = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(fund_lines)),
        "save": "",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"form-{i}-{key}"] = "" if value is None else value
    data.update(changes)
    return data


def test_the_ledger_grid_adds_changes_and_deletes_rows_in_one_audited_save(
    place: Place, client_for: Any
) -> None:
    fund = Fund.objects.get(cooperation=place.coop, slug="drift-2020")
    lines = list(
        LedgerLine.objects.filter(year=place.year, fund=fund).order_by("date", "order", "id")
    )
    category = CostCategory.objects.get(cooperation=place.coop, slug="ovriga-konsulter")
    data = grid_data(
        lines,
        [{"date": "2020-06-01", "category": category.pk, "text": "Konsult", "amount": "1250.50"}],
        **{"form-0-amount": str(lines[0].amount + 1), "form-1-DELETE": "on"},
        **read_as(fund, place.year),
    )
    client = client_for(SECRETARIAT)
    response = client.post(url("ledger-lines", "drift-2020"), data)
    assert response.status_code == 303, response.content.decode()[:3000]
    new = LedgerLine.objects.get(year=place.year, fund=fund, text="Konsult")
    assert (new.source, new.kind, str(new.amount)) == ("manual", category.kind, "1250.50")
    assert LedgerLine.objects.get(pk=lines[0].pk).amount == lines[0].amount + 1
    assert not LedgerLine.objects.filter(pk=lines[1].pk).exists()
    entry = AuditEntry.objects.get(action="finance.ledger_lines_saved")
    assert len(entry.changes["lines"]) == 3
    page = client.get(response["Location"]).content.decode()
    assert "Raderna är sparade. Nya: 1, ändrade: 1, borttagna: 1." in page, "not '1 nya'"


def test_the_ledger_grid_saves_nothing_when_one_row_is_wrong(place: Place, client_for: Any) -> None:
    fund = Fund.objects.get(cooperation=place.coop, slug="drift-2020")
    before = LedgerLine.objects.filter(year=place.year, fund=fund).count()
    category = CostCategory.objects.filter(cooperation=place.coop).first()
    assert category is not None
    data = grid_data(
        [],
        [
            {"date": "2020-06-01", "category": category.pk, "text": "Rätt", "amount": "10"},
            {"date": "2019-06-01", "category": category.pk, "text": "Fel år", "amount": "10"},
        ],
        **read_as(fund, place.year),
    )
    response = client_for(SECRETARIAT).post(url("ledger-lines", "drift-2020"), data)
    assert response.status_code == 400
    assert "ligger inte i år 2020" in response.content.decode()
    assert LedgerLine.objects.filter(year=place.year, fund=fund).count() == before


def test_more_rows_keeps_what_was_typed_and_saves_nothing(place: Place, client_for: Any) -> None:
    category = CostCategory.objects.filter(cooperation=place.coop).first()
    assert category is not None
    data = grid_data(
        [], [{"date": "2020-06-01", "category": category.pk, "text": "Utkast", "amount": "5"}]
    )
    del data["save"]
    data["add_rows"] = ""
    response = client_for(SECRETARIAT).post(url("ledger-lines", "drift-2020"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Utkast"' in page and "form-5-date" in page
    assert not LedgerLine.objects.filter(text="Utkast").exists()


def test_the_ledger_grid_is_refused_in_a_locked_year(place: Place, client_for: Any) -> None:
    category = CostCategory.objects.filter(cooperation=place.coop).first()
    assert category is not None
    data = grid_data(
        [],
        [{"date": "2019-06-01", "category": category.pk, "text": "Sent", "amount": "5"}],
        **read_as(
            Fund.objects.get(cooperation=place.coop, slug="drift-2019"),
            Year.objects.get(cooperation=place.coop, year=2019),
        ),
    )
    response = client_for(SECRETARIAT).post(
        reverse("web:ledger-lines", args=["sodertorn", 2019, "drift-2019"]), data
    )
    assert response.status_code == 409
    assert "låst" in response.content.decode()
    assert not LedgerLine.objects.filter(text="Sent").exists()


def test_a_reader_sees_the_grid_and_the_mappings_without_forms(
    place: Place, client_for: Any
) -> None:
    client = client_for(READER)
    grid = client.get(url("ledger-lines", "drift-2020")).content.decode()
    assert "form-TOTAL_FORMS" not in grid and "Spara alla rader" not in grid
    mappings = client.get(url("account-mappings")).content.decode()
    assert "Ny kontomappning" not in mappings and "3460" in mappings
    assert Year.objects.get(cooperation=place.coop, year=2020).lines.exists()


def test_even_a_small_upload_is_streamed_to_a_temporary_file_not_held_in_memory(
    place: Place, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from samverkan.finance import sie_uploads

    seen: list[str] = []
    stage = sie_uploads.stage

    def spy(upload: Any, **kw: Any) -> Any:
        seen.append(type(upload).__name__)
        return stage(upload, **kw)

    monkeypatch.setattr(sie_uploads, "stage", spy)
    response = upload(client_for(SECRETARIAT), DEMO_SIE.read_bytes())
    assert response.status_code == 303
    assert seen == ["TemporaryUploadedFile"]


def test_every_finding_code_of_docs_sie_md_has_a_swedish_meaning_for_the_preview() -> None:
    import re

    from samverkan.web.sie_findings import FINDING_TEXTS

    docs = (Path(__file__).resolve().parents[2] / "docs" / "sie.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z0-9_]+)` \|", docs, re.MULTILINE))
    assert documented - set(FINDING_TEXTS) == set()


def test_the_preview_of_a_whole_file_says_so_and_prints_its_differences_as_amounts(
    place: Place, client_for: Any
) -> None:
    sample = Path(__file__).resolve().parents[1] / "data" / "sie-samples"
    data = (sample / "transaktioner_ovnbolag-bad-balance.se").read_bytes()
    _, page = preview_of(client_for(SECRETARIAT), data, name="bad.se", objects="")
    page = page.replace("\xa0", " ")
    assert "År 2020, hela filen (inget objekt valt)." in page
    assert "objekt: ." not in page
    assert "4 220,75" in page and "−15 278" in page  # the reconciliation, as amounts
    assert "4220,75" not in page


def test_a_mappings_project_is_shown_and_chosen_by_its_name(place: Place, client_for: Any) -> None:
    from samverkan.projects.models import Project

    client = client_for(SECRETARIAT)
    project = Project.objects.get(cooperation=place.coop, slug="kartor-infrastruktur")
    mappings = client.get(url("account-mappings")).content.decode()
    assert (
        f"<td>{project.name}</td>" in mappings and "<td>kartor-infrastruktur</td>" not in mappings
    )
    form = client.get(url("account-mapping-new")).content.decode()
    assert f'<option value="kartor-infrastruktur">{project.name}</option>' in form
    category = CostCategory.objects.get(cooperation=place.coop, slug="ovriga-konsulter")
    response = client.post(
        url("account-mapping-new"),
        {"account": "6444", "category": category.pk, "project": "kartor-infrastruktur"},
    )
    assert response.status_code == 303
    assert AccountMapping.objects.get(account="6444").project == "kartor-infrastruktur"


# -- the preview reads in Swedish ----------------------------------------------------------------


def demo_sie_with(*changes: tuple[bytes, bytes], without_checksum: bool = True) -> bytes:
    """The demo's SIE file with some lines changed (and, by default, its checksum left out)."""
    data = DEMO_SIE.read_bytes()
    for old, new in changes:
        assert old in data, old
        data = data.replace(old, new, 1)
    if without_checksum:
        data = b"\r\n".join(x for x in data.split(b"\r\n") if not x.startswith(b"#KSUMMA"))
    return data


def line_of(data: bytes, text: bytes) -> int:
    return data.split(b"\r\n").index(text) + 1


def finding_rows(page: str) -> list[str]:
    """The rows of the findings table, tags stripped, spaces collapsed."""
    import re

    table = page.split('id="findings-heading"', 1)[1]
    rows = re.findall(r'<tr class="finding-[a-z]+">(.*?)</tr>', table, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]


def test_every_finding_of_the_preview_reads_in_swedish_with_its_line_figures_and_what_to_do(
    place: Place, client_for: Any
) -> None:
    data = demo_sie_with(
        (b'#KONTO 1930 "Bank"\r\n', b'#KONTO 1930 "Bank"\r\n#KONTO 1930 "Bankkonto"\r\n'),
        (b"#TRANS 1930 {} 378424.00\r\n", b"#TRANS 1930 {} 378426.50\r\n"),
    )
    _, page = preview_of(client_for(SECRETARIAT), data)
    page = page.replace("\xa0", " ")
    rows = finding_rows(page)
    again = line_of(data, b'#KONTO 1930 "Bankkonto"')
    voucher = line_of(data, b'#VER A 1 20200331 "Medlemsavgift 2020 Botkyrka"')
    assert (
        f"Varning {again} Ett konto anges två gånger; det senare namnet används. "
        f"kod duplicate_account konto: 1930 första rad: {again - 1} Inget behöver göras."
    ) in rows
    assert (
        f"Fel {voucher} En verifikation balanserar inte: raderna summerar inte till noll. "
        "kod unbalanced_voucher serie: A nummer: 1 summa: 2,50 "
        "Rätta verifikationen i ekonomisystemet och ta ut filen på nytt."
    ) in rows
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert "1 fel, 2 varningar, 1 notering. Fel stoppar importen;" in main, "one: singular"
    assert "Detaljer" not in main and 'lang="en"' not in main
    assert "is declared again" not in main and "does not balance" not in main, "no English"


def test_a_refused_import_says_in_swedish_why(place: Place, client_for: Any) -> None:
    client = client_for(SECRETARIAT)
    data = demo_sie_with((b"#TRANS 1930 {} 378424.00\r\n", b"#TRANS 1930 {} 378426.50\r\n"))
    location, _ = preview_of(client, data)
    refused = client.post(location, {"import": "1"})
    assert refused.status_code == 409
    alert = refused.content.decode().replace("\xa0", " ").split('role="alert"', 1)[1]
    alert = alert.split("</div>", 1)[0]
    assert "Importen vägrades; inget har ändrats." in alert
    assert "En verifikation balanserar inte" in alert and "summa: 2,50" in alert
    assert "Voucher" not in alert


def test_every_documented_finding_that_asks_for_action_says_what_to_do_in_swedish() -> None:
    import re

    from samverkan.web.sie_findings import FINDING_ACTIONS

    docs = (Path(__file__).resolve().parents[2] / "docs" / "sie.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z0-9_]+)` \|.*\| ([^|]+) \|$", docs, re.MULTILINE)
    asking = {code for code, what in rows if not what.startswith("Nothing")}
    assert asking - set(FINDING_ACTIONS) == set()


def test_every_figure_the_reader_gives_on_the_sample_files_has_a_swedish_name() -> None:
    from samverkan.finance.sie import LENIENT_INSPECT, read_sie
    from samverkan.web.sie_findings import FIGURE_LABELS

    samples = Path(__file__).resolve().parents[1] / "data" / "sie-samples"
    keys = {
        key
        for path in sorted(samples.glob("*.s[ei]"))
        for d in read_sie(path.read_bytes(), options=LENIENT_INSPECT).diagnostics
        for key in d.figures
    }
    assert len(keys) > 10, "the samples give figures"
    assert keys - set(FIGURE_LABELS) == set()


# -- a file of another year ------------------------------------------------------------------------


def test_a_file_of_another_year_gives_one_clear_error_at_the_top_and_no_error_per_voucher(
    place: Place, client_for: Any
) -> None:
    # Huddinge's export of 2019 (the demo's file a year earlier), uploaded into 2020.
    data = demo_sie_with((b"", b"")).replace(b"2020", b"2019")
    _, page = preview_of(client_for(SECRETARIAT), data, name="huddinge-2019.se")
    top = page.split('id="wrong-year"', 1)[1].split("</div>", 1)[0]
    assert (
        "Filen gäller räkenskapsåret 2019 (1 januari 2019–31 december 2019 enligt filens "
        "#RAR 0), men sidan är för 2020."
    ) in top
    assert "Ingen av filens 60 verifikationer kan importeras till 2020." in top
    assert "Ta ut SIE-filen för 2020 ur ekonomisystemet och ladda upp den här." in top
    assert page.index('id="wrong-year"') < page.index('id="summary-heading"'), "at the top"
    assert "1 fel, 0 varningar" in page
    assert "voucher_outside_year" not in page and "year_not_in_file" not in page
    assert not [row for row in finding_rows(page) if row.startswith("Fel")]


def test_the_error_of_another_year_links_to_that_years_upload_when_it_is_open(
    place: Place, client_for: Any
) -> None:
    Year.objects.update_or_create(
        cooperation=place.coop, year=2021, defaults={"status": "planning"}
    )
    data = demo_sie_with((b"#RAR 0 20200101 20201231", b"#RAR 0 20210101 20211231"))
    _, page = preview_of(client_for(SECRETARIAT), data)
    upload_2021 = reverse("web:sie-upload", args=["sodertorn", 2021])
    assert f'href="{upload_2021}"' in page and "Ladda upp SIE-fil för 2021" in page
    data = demo_sie_with((b"#RAR 0 20200101 20201231", b"#RAR 0 20190101 20191231"))
    _, page = preview_of(client_for(SECRETARIAT), data)
    assert "sidan är för 2020" in page
    assert reverse("web:sie-upload", args=["sodertorn", 2019]) not in page, "2019 is decided"


def test_the_error_of_another_year_sends_the_file_to_its_year_only_where_it_can_be_imported(
    place: Place, client_for: Any
) -> None:
    def advice(file_year: bytes) -> str:
        data = demo_sie_with(
            (b"#RAR 0 20200101 20201231", b"#RAR 0 %s0101 %s1231" % (file_year, file_year))
        )
        _, page = preview_of(client_for(SECRETARIAT), data)
        return page.split('id="wrong-year"', 1)[1].split("</div>", 1)[0]

    decided = advice(b"2019")
    assert "Året 2019 är låst (beslutat eller publicerat)" in decided
    assert "Ladda upp filen under 2019" not in decided, "2019 refuses an upload"
    missing = advice(b"2012")
    assert "Året 2012 finns inte i samverkan." in missing
    assert "Ladda upp filen under 2012" not in missing
    Year.objects.update_or_create(
        cooperation=place.coop, year=2021, defaults={"status": "planning"}
    )
    open_year = advice(b"2021")
    assert "Ladda upp filen under 2021, eller ta ut SIE-filen för 2020" in open_year
    assert "är låst" not in open_year and "finns inte" not in open_year


def test_a_file_without_its_fiscal_year_says_so_at_the_top(place: Place, client_for: Any) -> None:
    data = demo_sie_with((b"#RAR 0 20200101 20201231\r\n", b""))
    _, page = preview_of(client_for(SECRETARIAT), data)
    top = page.split('id="wrong-year"', 1)[1].split("</div>", 1)[0]
    assert "Filen anger inget räkenskapsår (#RAR 0), så den kan inte importeras till 2020." in top
