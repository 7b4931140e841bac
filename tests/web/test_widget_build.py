"""The chat widget's build: the committed ``static/widget.js`` is the build of ``web/widget/*.js``.

The widget's sources are ES modules; ``scripts/build_widget.py`` joins them into the one classic script that
municipalities embed. Here: the committed file is up to date, both forms parse (with Node.js when it is
installed), the bundler evaluates modules in dependency order with their imports, and refuses the forms it
does not handle. The widget's behaviour is specified by the browser tests (tests/browser/test_chat_*.py).
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from service_catalog.config import REPO_ROOT

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")


def _load_build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_widget", REPO_ROOT / "scripts" / "build_widget.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


build_widget = _load_build_script()


def _write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _run(script: str) -> str:
    assert NODE
    result = subprocess.run([NODE, "-"], input=script, capture_output=True, text=True, timeout=30, check=True)
    return result.stdout


def test_committed_widget_is_the_build_of_its_modules() -> None:
    committed = build_widget.OUTPUT.read_text(encoding="utf-8")
    assert committed == build_widget.build(), "static/widget.js differs from its sources: run `make widget`"


def test_the_widgets_door_fields_are_the_contracts() -> None:
    committed = build_widget.CONTRACT_MODULE.read_text(encoding="utf-8")
    assert committed == build_widget.contract_module(), "widget/contract.js is stale: run `make widget`"
    assert "'opening'" in committed and "export const CHAT_DOORS = 6;" in committed


def test_check_fails_when_the_contract_module_is_stale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = tmp_path / "contract.js"
    stale.write_text("export const STRING_FIELDS = ['name'];\n", encoding="utf-8")
    monkeypatch.setattr(build_widget, "CONTRACT_MODULE", stale)
    assert build_widget.main(["--check"]) == 1


def test_check_fails_when_the_committed_file_differs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = tmp_path / "widget.js"
    stale.write_text("/* an old build */\n", encoding="utf-8")
    monkeypatch.setattr(build_widget, "OUTPUT", stale)
    assert build_widget.main(["--check"]) == 1
    assert build_widget.main([]) == 0
    assert build_widget.main(["--check"]) == 0


def test_built_widget_says_it_is_generated_and_from_where() -> None:
    head = build_widget.OUTPUT.read_text(encoding="utf-8")[:400]
    assert "GENERATED FILE, do not edit" in head
    assert "scripts/build_widget.py" in head and "service_catalog/web/widget/" in head


@needs_node
def test_built_widget_parses_as_a_classic_script() -> None:
    subprocess.run([NODE, "--check", str(build_widget.OUTPUT)], check=True, capture_output=True, timeout=30)


@needs_node
@pytest.mark.parametrize("source", sorted(build_widget.SOURCE_DIR.glob("*.js")), ids=lambda path: path.name)
def test_widget_source_parses_as_an_es_module(source: Path) -> None:
    text = source.read_text(encoding="utf-8")
    subprocess.run([NODE, "--input-type=module", "--check"], input=text, text=True, check=True, timeout=30)


@needs_node
def test_bundle_runs_modules_once_in_dependency_order_with_their_imports(tmp_path: Path) -> None:
    source = _write(
        tmp_path,
        {
            "log.js": "export const seen = [];\n",
            "a.js": (
                "import { seen } from './log.js';\nseen.push('a');\nexport function twice(x) {\n  return 2 * x;\n}\n"
            ),
            "b.js": (
                "/* b: renames on import */\n"
                "import { seen } from './log.js';\n"
                "import {\n  twice as double,\n} from './a.js';\n"
                "seen.push('b');\n"
                "export const four = double(2);\n"
            ),
            "main.js": (
                "import { four } from './b.js';\nimport { seen } from './log.js';\nimport { twice } from './a.js';\n"
                "console.log(JSON.stringify([seen, four, twice(5)]));\n"
            ),
        },
    )
    assert _run(build_widget.build(source, "main.js")).strip() == '[["a","b"],4,10]'


@pytest.mark.parametrize(
    ("files", "refusal"),
    [
        ({"main.js": "export let x = 1;\n"}, "main.js:1: an import or export the build does not handle"),
        ({"main.js": "import x from './a.js';\n", "a.js": ""}, "main.js:1"),
        ({"main.js": "import * as a from './a.js';\n", "a.js": ""}, "main.js:1"),
        ({"main.js": "const x = 1;\nimport { y } from './a.js';\n", "a.js": "export const y = 2;\n"}, "come first"),
        ({"main.js": "import { y } from './a.js';\n", "a.js": "export const z = 2;\n"}, "a.js does not export y"),
        ({"main.js": "import { y } from './a.js';\n", "a.js": "import { z } from './main.js';\nexport const y = 1;\n"},
         "import cycle: main.js -> a.js -> main.js"),
        ({"main.js": "import { y } from './nowhere.js';\n"}, "does not exist"),
        ({"main.js": "import { y } from 'a';\n"}, "relative path"),
        ({"main.js": "const m = import('./a.js');\n", "a.js": ""}, "not handled"),
        ({"main.js": "console.log(1);\n", "extra.js": "export const x = 1;\n"}, "not imported by main.js"),
    ],
    ids=["export-let", "default-import", "namespace-import", "import-after-code", "missing-export", "cycle",
         "missing-file", "bare-specifier", "dynamic-import", "unused-module"],
)  # fmt: skip
def test_bundler_refuses_what_it_does_not_handle(tmp_path: Path, files: dict[str, str], refusal: str) -> None:
    with pytest.raises(build_widget.BuildError, match=refusal.replace("(", r"\(")):
        build_widget.build(_write(tmp_path, files), "main.js")
