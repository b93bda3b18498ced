"""Solara's front-end files for offline use.

On a page load solara's server fetches its browser bundle (``@widgetti/solara-vuetify*-app``)
and ``requirejs`` from a public CDN, and the charts' ``vega``, ``vega-lite`` and ``vega-embed``
when the first chart is drawn, and caches them in ``solara.server.settings.assets
.proxy_cache_dir``. Without internet access the page stays blank, so :func:`ensure` fills that
cache from the npm registry with ``npm pack`` (the versions solara's page template and its
Vega-Lite widget name: exact ones, or a major version such as ``vega@5``).
Run ``python -m leverage_sim.dashboard.assets``; ``leverage-sim dashboard`` calls it too.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

# e.g. {{cdn}}/@widgetti/solara-vuetify3-app@5.2.0/dist/... -> ("@widgetti/...-app", "5.2.0")
_CDN_REF = re.compile(r"\{\{\s*cdn\s*\}\}/((?:@[\w.-]+/)?[\w.-]+)@(\d+\.\d+\.\d+)/")
# e.g. `${this.getCdn()}/vega-lite@5/build/vega-lite.min.js` -> ("vega-lite", "5")
_WIDGET_REF = re.compile(r"getCdn\(\)\}/((?:@[\w.-]+/)?[\w.-]+)@(\d+(?:\.\d+\.\d+)?)/build/")
_VUE2_APP, _VUE3_APP = "@widgetti/solara-vuetify-app", "@widgetti/solara-vuetify3-app"


def _solara_dir() -> Path:
    import solara.server.server as solara_server

    return Path(solara_server.__file__).parents[1]


def _widget_refs() -> set[tuple[str, str]]:
    """(name, version) of the libraries solara's Vega-Lite chart widget loads."""
    widget = _solara_dir() / "widgets" / "vue" / "vegalite.vue"
    return set(_WIDGET_REF.findall(widget.read_text(encoding="utf-8")))


def required_packages() -> list[str]:
    """``name@version`` of the npm packages solara's page loads, for the installed ipyvue
    (Vue 2 or Vue 3 bundle), and those of its Vega-Lite chart widget."""
    import solara.server.server as solara_server

    template = _solara_dir() / "server" / "templates" / "solara.html.j2"
    unused = _VUE2_APP if solara_server.vue3 else _VUE3_APP
    refs = {*_CDN_REF.findall(template.read_text(encoding="utf-8")), *_widget_refs()}
    return [f"{name}@{version}" for name, version in sorted(refs) if name != unused]


def vega_lite_version() -> str:
    """The Vega-Lite version the page's charts are drawn with, as solara's chart widget names
    it (a major version such as ``5``): the charts' specs declare this version."""
    return dict(_widget_refs())["vega-lite"]


def vega_lite_schema() -> Path:
    """The JSON schema of the Vega-Lite that draws the charts, in the asset cache (present
    once :func:`ensure` has fetched it)."""
    return cache_dir() / f"vega-lite@{vega_lite_version()}" / "build" / "vega-lite-schema.json"


def cache_dir() -> Path:
    """Solara's asset cache (``$SOLARA_ASSETS_PROXY_CACHE_DIR``, default inside the venv)."""
    from solara.server import settings

    return Path(settings.assets.proxy_cache_dir)


def missing() -> list[str]:
    """Required packages not in the cache yet."""
    return [p for p in required_packages() if not (cache_dir() / p / "package.json").is_file()]


def _unpack(tgz: Path, dest: Path) -> None:
    """Extract an npm tarball's ``package/`` folder to ``dest`` (atomically: all or nothing)."""
    tmp = dest.parent / f".{dest.name}.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    with tarfile.open(tgz) as tar:
        members = [m for m in tar.getmembers()
                   if m.name.startswith("package/") and (m.isfile() or m.isdir())]
        for m in members:
            m.name = m.name[len("package/"):]
        tar.extractall(tmp, members=members, **({"filter": "data"}
                                                if hasattr(tarfile, "data_filter") else {}))
    shutil.rmtree(dest, ignore_errors=True)
    tmp.rename(dest)


def ensure(npm: str | None = None, quiet: bool = False) -> list[str]:
    """Fetch the missing packages with ``npm pack`` into the cache; returns those still missing
    (all of them when npm is not installed or the registry cannot be reached)."""
    todo = missing()
    npm = npm or shutil.which("npm")
    if not todo or npm is None:
        return todo
    for spec in todo:
        if not quiet:
            print(f"fetching dashboard front-end {spec} (npm pack)...", file=sys.stderr)
        with tempfile.TemporaryDirectory() as tmp:
            done = subprocess.run([npm, "pack", spec, "--silent", "--pack-destination", tmp],
                                  capture_output=True, text=True, timeout=600, check=False)
            tgz = next(Path(tmp).glob("*.tgz"), None)
            if done.returncode != 0 or tgz is None:
                if not quiet:
                    print(f"  npm pack {spec} failed: {done.stderr.strip()[:300]}",
                          file=sys.stderr)
                continue
            dest = cache_dir() / spec
            dest.parent.mkdir(parents=True, exist_ok=True)
            _unpack(tgz, dest)
    return missing()


if __name__ == "__main__":
    left = ensure()
    print(f"dashboard front-end files in {cache_dir()}: "
          + ("complete" if not left else f"missing {', '.join(left)} (needs npm or internet)"))
    sys.exit(0)
