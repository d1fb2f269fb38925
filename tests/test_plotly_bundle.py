"""The vendored Plotly (observatory/vendor/): the basic bundle of the plotly.js version the Python
plotly bundles, as recorded (sha256, MIT licence), written into the site by the build."""

from __future__ import annotations

import importlib.util

from observatory.publish.site import PLOTLY_BUNDLE

from .conftest import ROOT

_spec = importlib.util.spec_from_file_location("update_plotly", ROOT / "scripts" / "update_plotly.py")
update_plotly = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(update_plotly)


def test_the_vendored_bundle_is_the_recorded_basic_bundle_of_the_python_plotly_version():
    assert update_plotly.BUNDLE == PLOTLY_BUNDLE
    assert update_plotly.check() == []
    head = PLOTLY_BUNDLE.read_bytes()[:200].decode()
    assert "plotly.js (basic - minified)" in head and "MIT" in head
