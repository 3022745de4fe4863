"""``xlperf serve`` started for real, its endpoints called over loopback, then stopped: the
manifest (well-formed, one ribbon button per macro, every resource it names defined), the custom
functions' metadata and script, a function call and a macro call with the JSON Office.js sends."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from xlperf.serve import running

from .bookjson import book_json
from .gallery import FORMS

pytest.importorskip("uvicorn")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "udfs"))
import xlperf_ribbon  # noqa: E402

NS = {"o": "http://schemas.microsoft.com/office/appforoffice/1.1",
      "v": "http://schemas.microsoft.com/office/taskpaneappversionoverrides",
      "bt": "http://schemas.microsoft.com/office/officeappbasictypes/1.0",
      "xsi": "http://www.w3.org/2001/XMLSchema-instance"}


@pytest.fixture(scope="module")
def server() -> str:
    with running({**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial"}) as base:
        yield base


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read()


def post(url: str, body: object) -> tuple[int, bytes]:
    req = urllib.request.Request(url, json.dumps(body, ensure_ascii=False).encode(),
                                 {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def test_the_manifest_has_a_button_for_every_macro(server: str) -> None:
    root = ET.fromstring(get(server + "/manifest.xml"))
    buttons = root.findall(".//v:Control", NS)
    functions = [c.find("v:Action/v:FunctionName", NS).text for c in buttons]
    assert functions == [b[0] for b in xlperf_ribbon.BUTTONS]
    assert all(callable(getattr(xlperf_ribbon, f)) for f in functions)
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    used = {e.get("resid") for e in root.iter() if e.get("resid")}
    assert used <= ids, used - ids
    urls = {e.get("id"): e.get("DefaultValue") for e in root.findall(".//bt:Url", NS)}
    assert urls["Functions.Metadata.Url"].endswith("/functions.json")
    for url in (*urls.values(), *(e.get("DefaultValue")
                                  for e in root.findall(".//bt:Images/bt:Image", NS))):
        assert get(url.replace("http://localhost", "http://127.0.0.1"))


def test_custom_functions_metadata_script_and_a_call(server: str) -> None:
    meta = json.loads(get(server + "/functions.json"))
    script = get(server + "/functions.js").decode()
    for f in meta["functions"]:
        assert f'CustomFunctions.associate("{f["id"]}"' in script
    status, body = post(server + "/xlwings/custom-functions-call", {
        "client": "Office.js", "func_name": "XLPERF_SPLIT", "args": [[[100]], [[1], [1], [1]]],
        "version": "0.37.8", "runtime": "1.4", "caller_address": "[B.xlsx]S!A1",
        "culture_info_name": "zh-CN", "date_format": None})
    assert status == 200 and json.loads(body) == {"result": [[33.34], [33.33], [33.33]]}
    status, body = post(server + "/xlwings/custom-functions-call", {
        "client": "Office.js", "func_name": "no_such", "args": [], "version": "0.37.8",
        "runtime": "1.4"})
    assert status == 500 and b"Traceback" not in body


def test_a_macro_call_returns_actions(server: str, tmp_path: Path) -> None:
    src = tmp_path / "form.xlsx"
    FORMS["zh_typed_errors"](src)
    status, body = post(server + "/xlwings/custom-scripts-call/liven_sheet", book_json(src))
    assert status == 200, body[:500]
    actions = json.loads(body)["actions"]
    assert [a["args"][1] for a in actions if a["func"] == "addSheet"] == ["方案"]
    status, _ = post(server + "/xlwings/custom-scripts-call/not_a_macro", book_json(src))
    assert status == 404


def test_serve_refuses_without_a_licence_key() -> None:
    env = {k: v for k, v in os.environ.items() if k != "XLWINGS_LICENSE_KEY"}
    done = subprocess.run([sys.executable, "-m", "xlperf.cli", "serve", "--port", "1"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "XLWINGS_LICENSE_KEY" in done.stderr


def test_only_json_from_this_machine_is_served(server: str) -> None:
    """A form post from another site (text/plain needs no preflight) and a request addressed to
    another host name (DNS rebinding) are turned away; messages are shown escaped."""
    body = json.dumps({"client": "Office.js", "func_name": "XLPERF_GRADE", "args": [[[95]]],
                       "version": "0.37.8", "runtime": "1.4"}).encode()
    plain = urllib.request.Request(server + "/xlwings/custom-functions-call", body,
                                   {"Content-Type": "text/plain"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(plain, timeout=30)
    assert err.value.code >= 400
    rebound = urllib.request.Request(server + "/functions.json", headers={"Host": "evil.example"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(rebound, timeout=30)
    assert err.value.code == 400
    page = get(server + "/message.html?text=%3Cscript%3Ealert(1)%3C%2Fscript%3E").decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page
