"""Names compared whatever their accents, ligatures, case and signs: one rule, in one place."""

from observatory.names import fold

from .conftest import ROOT


def test_fold():
    assert fold("Mons-en-Barœul") == "mons en baroeul"
    assert fold("  L'Épi de Soil — Œillets & Æther ") == "l epi de soil oeillets aether"
    assert fold("Saint-Pol-sur-Mer 2e arrondissement") == "saint pol sur mer 2e arrondissement"
    assert fold("HEM") == fold("Hem") == "hem"


def test_no_other_module_folds_names():
    folding = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "observatory").rglob("*.py")
        if "unicodedata" in path.read_text(encoding="utf-8") and path.name != "names.py"
    ]
    assert folding == []
