"""End to end: the default observatory built into a temporary folder, read as a visitor would."""

import gzip
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

from observatory.pages.parallel import processes
from observatory.pages.rankings import period_slug
from observatory.pages.text import format_figure, period_cell, plain_period
from observatory.pipeline import build

from .conftest import DEFAULT_CONFIG, page_text
from .html_tables import Figure, cell, cells, figures, readable, tables

MEL_QUARTIERS = 26
CALL_QUARTIERS = 22  # 18 of its own + 4 shared with a neighbouring EPCI (ANCT 2024 layer)


def test_one_page_per_quartier_with_its_official_code_in_the_url(default_site: Path, observatory):
    pages = sorted(p.name for p in (default_site / "quartiers").iterdir() if p.is_dir())
    quartiers = [name for name in pages if name.startswith("QN")]
    assert len(quartiers) == MEL_QUARTIERS + CALL_QUARTIERS
    assert all(re.fullmatch(r"QN0(59|62)\d\d[A-Z]", name) for name in quartiers)
    assert "QN05968M" in pages and "QN06216M" in pages
    # the one 2015 quartier of these communes that the ANCT table gives no successor keeps its page
    assert sorted(set(pages) - set(quartiers)) == ["QP059068"]
    assert "sorti de la géographie prioritaire en 2024" in page_text(default_site, "quartiers/QP059068")


def test_six_enjeu_pages_and_the_index_pages(default_site: Path):
    enjeux = [p for p in (default_site / "enjeux").iterdir() if p.is_dir()]
    assert len(enjeux) == 6
    for url in ["", "quartiers", "enjeux", "indicateurs", "sources"]:
        assert (default_site / url / "index.html").exists()


POVERTY = "Taux de pauvreté au seuil de 60 % (revenu disponible)"


def test_the_bizet_page_shows_value_millesime_source_gap_and_sentence(default_site: Path):
    assert "# Bizet - Briqueterie" in readable(page_text(default_site, "quartiers/QN05968M")).splitlines()
    html = page_text(default_site, "quartiers/QN05968M/revenus-pauvrete")  # the detail of the enjeu 6
    shown = [f for f in figures(html) if f.heading == POVERTY]
    assert (
        Figure(
            heading=POVERTY,
            value="41,5 %",
            period="chiffre de 2019",
            source="Source : Insee-DGFiP-Cnaf-Cnav-CCMSA, Filosofi 2019, cité par Volet communal d'Armentières du "
            "contrat de ville et des solidarités 2024-2030 (Enjeu 6, diagnostic, tableau « MEL / QPV / Écarts »).",
        )
        in shown
    )
    # compared first with the contract's intercommunality, then the commune's value
    assert (
        "41,5\u00a0% des habitants vivent sous le seuil de pauvreté, soit un niveau 2,2\u00a0fois plus élevé "
        "que dans la MEL (19\u00a0%) ; " in html
    )
    references = f"{POVERTY} — Bizet - Briqueterie, ses territoires de référence"  # the 2019 table
    assert cell(html, references, "Bizet - Briqueterie", "Valeur") == "41,5 %"
    assert cell(html, references, "Métropole Européenne de Lille", "Valeur") == "19 %"
    assert cell(html, references, "Métropole Européenne de Lille", "Écart du quartier") == (
        "+22,5 points, 2,2 fois plus élevé (moins favorable)"
    )
    # an indicator without figure is shown as such, never as 0
    others = page_text(default_site, "quartiers/QN05968M/precarite-acces-droits")
    assert [f.value for f in figures(others) if f.heading == "Part des habitants de 60 ans ou plus"] == [
        "non disponible"
    ]


def _seeds(observatory):
    """The figures transcribed from the seeds (data/figures), not those of the producers' files."""
    return observatory.figures[observatory.figures["file"].str.startswith(str(observatory.config.figures))]


def _plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _section_pages(site: Path, quartier: str) -> list[str]:
    """The quartier's section pages (the detail of its figures), read."""
    return [page.read_text(encoding="utf-8") for page in sorted((site / "quartiers" / quartier).glob("*/index.html"))]


def _shown_on_quartier_page(pages: list[str], indicator, quartier: str, period: str) -> set[str]:
    """What a quartier's section pages show as the quartier's figure of `indicator` for `period`:
    the figure in large under the indicator's heading with that millésime, the quartier's row of the
    indicator's table of references for that millésime, the millésime's row of its earlier
    millésimes, the millésime's column of its series table. Value cells may add the statistic."""
    label = plain_period(period)
    shown = set()
    for html in pages:
        shown |= {f.value for f in figures(html) if f.heading == indicator.label and f.period.startswith(label)}
        for table in tables(html):
            if table.caption.startswith(f"{indicator.label} — {quartier}, ses territoires de référence"):
                where = ("Valeur", quartier) if table.caption.endswith(f", {period_cell(period)}") else None
            elif table.caption == f"{indicator.label} — {quartier}, millésimes précédents":
                where = ("Valeur", period_cell(period))
            elif table.caption.startswith(f"{indicator.chart_label} : {quartier} et ses références"):
                where = (period, quartier)  # the series table: one column per millésime
            else:
                continue
            if where and where[0] in table.header:
                column = table.header.index(where[0])
                for row, header in zip(table.rows, table.row_headers, strict=True):
                    if header == where[1] or (where[1] == quartier and header.startswith(f"{quartier} (")):
                        shown.add(row[column])
    return {re.sub(r" \((minimum|maximum|moyenne)\)$", "", value) for value in shown}


def test_every_quartier_figure_of_the_seeds_is_on_its_quartier_page(default_site: Path, observatory):
    quartiers = observatory.quartier_ids()
    seeds = _seeds(observatory)[lambda f: f["territory"].isin(quartiers)]
    assert len(seeds) > 40
    pages = {code: _section_pages(default_site, code) for code in set(seeds["territory"])}
    for _, row in seeds.iterrows():
        indicator = observatory.catalog[row["indicator"]]
        name = observatory.referential.territories[row["territory"]].name
        text = _plain(format_figure(indicator, row))
        shown = _shown_on_quartier_page(pages[row["territory"]], indicator, name, row["period"])
        assert text in shown, (row["territory"], row["indicator"], row["period"], text, shown)


def test_every_reference_figure_is_on_its_indicator_page(default_site: Path, observatory):
    quartiers = set(observatory.quartier_ids())
    for _, row in _seeds(observatory).iterrows():
        # the millésime most quartiers share is ranked on the indicator's page, every other on a page of its own
        html = page_text(default_site, f"indicateurs/{row['indicator']}")
        other = default_site / "indicateurs" / row["indicator"] / period_slug(row["period"]) / "index.html"
        html = other.read_text(encoding="utf-8") if other.exists() else html
        indicator = observatory.catalog[row["indicator"]]
        name = observatory.referential.territories[row["territory"]].name
        kind = "quartiers" if row["territory"] in quartiers else "territoires de référence et établissements"
        caption = f"{indicator.label} — {kind}, {row['period']}"
        text = _plain(format_figure(indicator, row))
        values = cells(html, caption, name, "Valeur")  # a territory has a row per document giving a value
        sources = cells(html, caption, name, "Source")
        # a ranking keeps one value per quartier and gives another document's as « Autre source : … »
        shown = [v for v in values if v == text or v.startswith(f"{text} (")]
        shown += [s for s in sources if f"Autre source : {text} (" in s]
        if not shown:  # a ranking shows the producer's figure that the document rounds, not the rounding
            frame = observatory.figures
            same = frame[
                (frame["territory"] == row["territory"])
                & (frame["indicator"] == row["indicator"])
                & (frame["period"] == row["period"])
                & (frame["document"] != row["document"])
            ]
            precise = {
                _plain(format_figure(indicator, other))
                for _, other in same.iterrows()
                if round(other["value"], int(row["precision"])) == row["value"]
            }
            shown = [v for v in values if v in precise]
        assert shown, (row["territory"], row["indicator"], text, values, sources)
        # its producer in the row's source (or « Autre source : … » in a ranking); where a ranking keeps
        # another document's identical value, in the sources written under the page's series
        producer = _plain(row["producer"])
        notes = [line for line in readable(html).splitlines() if line.startswith(("Source :", "Sources :"))]
        assert any(producer in s for s in sources + notes), (row["producer"], sources)


def test_published_minimum_and_maximum_are_named(default_site: Path):
    html = page_text(default_site, "indicateurs/taux-pauvrete-60-declare")
    ranking = "Taux de pauvreté au seuil de 60 % du revenu déclaré — quartiers, 2019"
    assert cell(html, ranking, "Quartier Saint-Elie - Fosse 13", "Valeur") == "53,9 % (minimum)"
    assert cell(html, ranking, "Grande Résidence", "Valeur") == "70,5 % (maximum)"
    lines = readable(html).splitlines()
    assert (
        "Publié comme minimum par la source : [Quartier Saint-Elie - Fosse 13](../../quartiers/QN06216M/), 53,9 % "
        "(Non précisée (diagnostic du contrat de ville, tableau 1.2))." in lines
    )


def test_enjeu_page_states_ambitions_charts_and_call_mapping(default_site: Path):
    html = page_text(default_site, "enjeux/precarite-acces-droits")
    assert "Faciliter l&#39;accès aux droits et accompagner les habitants aux usages numériques" in html
    assert "Dans le contrat de la CALL" in html
    # it leads with its key indicator, ranked and charted; every other indicator in one line
    assert 'data-chart="graphique-revenu-median-disponible-uc"' in html
    assert "Minimum :" in html and "Maximum :" in html
    lines = readable(html).splitlines()
    poverty = next(line for line in lines if line.startswith("[Taux de pauvreté au seuil de 60 % (revenu disponible)]"))
    assert " — 2019 : " in poverty and "MEL : 19 %" in poverty


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in {"href", "src"} and value:
                self.urls.append((tag, value))


def _all_pages(site: Path):
    return sorted(site.rglob("*.html"))


def test_no_page_requests_anything_outside_the_site(default_site: Path):
    for page in _all_pages(default_site):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for tag, url in parser.urls:
            if tag in {"script", "link", "img", "iframe"}:
                assert not urlparse(url).scheme and not url.startswith("//"), (page, url)


def test_plotly_is_served_once_from_a_local_asset(default_site: Path):
    copies = list(default_site.rglob("plotly*.js"))
    # one copy per edition (each archive is a site of its own), none inline, none from a CDN
    names = sorted(p.relative_to(default_site).as_posix() for p in copies)
    assert names[0] == "assets/javascripts/plotly-basic.min.js"  # the basic bundle, vendored
    assert all(re.fullmatch(r"editions/\d{4}/assets/javascripts/plotly-basic\.min\.js", name) for name in names[1:])
    html = page_text(default_site, "quartiers/QN05968M/revenus-pauvrete")
    # charts.js loads it when the first chart comes near the screen
    assert html.count('data-plotly="../../../assets/javascripts/plotly-basic.min.js"') == 1
    assert "Plotly.newPlot" not in html  # never inlined in a page
    home = page_text(default_site, "")
    assert "plotly" not in home and "charts.js" not in home  # pages without charts load no chart script


def test_every_internal_link_resolves(default_site: Path):
    for page in _all_pages(default_site):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        base = "/" + page.relative_to(default_site).as_posix()
        for _, url in parser.urls:
            parsed = urlparse(url)
            if parsed.scheme or url.startswith(("#", "mailto:", "data:")):
                continue
            target = urlparse(urljoin(base, url)).path
            path = default_site / target.lstrip("/")
            if target.endswith("/"):
                path = path / "index.html"
            assert path.exists(), (page, url)


def test_navigation_does_not_list_every_quartier(default_site: Path):
    html = page_text(default_site, "indicateurs/population")
    outside = re.sub(r"<article.*?</article>", "", html, flags=re.S)
    assert outside.count("quartiers/QN0") < 10  # the navigation does not link every quartier
    pages = list((default_site / "quartiers").rglob("index.html"))
    # what a phone downloads (gzip): about 56 Ko for 60 to 70 indicators with their references
    assert max(len(gzip.compress(p.read_bytes())) for p in pages) < 150_000
    assert max(p.stat().st_size for p in pages) < 1_000_000


def test_a_quartier_without_published_figures_says_so(default_site: Path, observatory):
    code = "QN05991N"  # Le Parc, new in 2024: no 2015 predecessor, no document figure
    assert observatory.figures[observatory.figures["territory"] == code].empty
    html = page_text(default_site, f"quartiers/{code}")
    assert "Aucun chiffre publié" in html
    section = page_text(default_site, f"quartiers/{code}/enfance-reussite-educative")
    assert figures(section) == []  # no figure in large, not even a 0
    lines = readable(section).splitlines()
    unavailable = next(i for i, line in enumerate(lines) if line.startswith("### Non disponible : "))
    # each indicator followed elsewhere is listed as not available for this quartier
    assert "[Part des habitants de moins de 25 ans](../../../indicateurs/part-moins-25-ans/)" in lines[unavailable:]


def test_identical_inputs_give_a_byte_identical_site_on_one_core_or_several(
    default_site: Path, tmp_path: Path, monkeypatch
):
    again = tmp_path / "site"
    monkeypatch.setenv("OBSERVATORY_PROCESSES", "1" if processes() > 1 else "2")  # the other way than default_site
    build(DEFAULT_CONFIG, again)
    first = {p.relative_to(default_site): p.read_bytes() for p in default_site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_every_series_table_cites_its_sources(default_site: Path):
    pages = [p.read_text(encoding="utf-8") for p in default_site.rglob("index.html")]
    tables = [part for page in pages for part in page.split('<table class="data series">')[1:]]
    assert tables  # the default site has series (poverty rate across millésimes…)
    for table in tables:
        after = table.split("</table>", 1)[1]
        assert re.match(r'\s*</div>\s*<p class="source">Sources? : [^<]+\.</p>', after), after[:200]
