"""``xlperf serve``: the back end of xlperf's Office.js add-in, on 127.0.0.1 — the manifest with
the xlperf ribbon tab, the custom functions' metadata and code, their calls, and the ribbon's
macros (udfs/).

It runs xlwings' server parts (custom functions, the remote Book engine), which are not open
source: they need ``XLWINGS_LICENSE_KEY`` — a licence of your own, or ``noncommercial`` for
development and evaluation only. Excel loads add-ins over HTTPS: pass a certificate Excel trusts
(``--cert``/``--key``; e.g. made by Microsoft's office-addin-dev-certs).
"""
from __future__ import annotations

import contextlib
import json
import os
import struct
import zlib
from collections.abc import Iterator
from importlib import resources
from string import Template
from types import ModuleType
from typing import Any

from .errors import InputError

ADDIN = "addin"  # udfs/addin: the manifest, the page and the client script, as text
MAX_BODY = 64 << 20  # a 100,000-row sheet's values as JSON fit many times over
MESSAGE_PAGE = ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>xlperf'
                '</title></head><body style="font-family:sans-serif;white-space:pre-wrap">'
                "{text}</body></html>")


def _need_server() -> None:
    """xlwings serves Office.js only with XLWINGS_ON_SERVER set before it is first imported, and
    its server parts only with a licence key."""
    if not os.environ.get("XLWINGS_LICENSE_KEY"):
        raise InputError("xlperf serve 使用 xlwings 的服务器组件,需要许可证密钥:请设置环境变量 "
                         "XLWINGS_LICENSE_KEY(noncommercial 仅限开发与评估)",
                         "xlperf serve runs xlwings' server parts, which need a licence key: set "
                         "XLWINGS_LICENSE_KEY (noncommercial is for development and evaluation "
                         "only)", None, "XLWINGS_LICENSE_KEY")
    os.environ.setdefault("XLWINGS_ON_SERVER", "true")


def modules() -> tuple[ModuleType, ModuleType]:
    """The UDF module and the ribbon module, imported as the server engine wants them."""
    _need_server()
    _skip_pyodide_probe()
    from udfs import xlperf_ribbon, xlperf_udfs
    return xlperf_udfs, xlperf_ribbon


def _skip_pyodide_probe() -> None:
    """xlwings (0.37.8) asks, for every cell of every argument, whether it is Pyodide's JsNull,
    by trying ``from pyodide.ffi import JsNull`` each time: outside Pyodide, 50,000 failed imports
    take 5 s. Without Pyodide nothing is a JsNull, so the answer is given once."""
    import importlib.util

    import xlwings.utils
    if importlib.util.find_spec("pyodide") is None:
        xlwings.utils.is_jsnull = lambda value: False


def _text(name: str) -> str:
    return resources.files("udfs").joinpath(ADDIN, name).read_text(encoding="utf-8")


def manifest(base: str, ribbon: ModuleType, version: str = "1.0.0.0") -> str:
    """The add-in manifest: the custom functions' URLs and one ribbon button per macro."""
    def esc(text: str) -> str:
        return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")

    buttons, short, long = [], [], []
    for name, zh, en, tip_zh, tip_en in ribbon.BUTTONS:
        rid = "".join(part.title() for part in name.split("_"))
        buttons.append(f'''                <Control xsi:type="Button" id="xlperf.{name}">
                  <Label resid="{rid}.Label"/>
                  <Supertip>
                    <Title resid="{rid}.Label"/>
                    <Description resid="{rid}.Tip"/>
                  </Supertip>
                  <Icon>
                    <bt:Image size="16" resid="Icon.16"/>
                    <bt:Image size="32" resid="Icon.32"/>
                    <bt:Image size="80" resid="Icon.80"/>
                  </Icon>
                  <Action xsi:type="ExecuteFunction">
                    <FunctionName>{name}</FunctionName>
                  </Action>
                </Control>''')
        short.append(f'        <bt:String id="{rid}.Label" DefaultValue="{esc(zh)} {esc(en)}"/>')
        long.append(f'        <bt:String id="{rid}.Tip" DefaultValue="{esc(tip_zh)} — '
                    f'{esc(tip_en)}"/>')
    return Template(_text("manifest.xml")).substitute(
        base=base, version=version, buttons="\n".join(buttons), short_strings="\n".join(short),
        long_strings="\n".join(long))


def functions_js(base: str, udfs: ModuleType, ribbon: ModuleType) -> str:
    """The client script, the ribbon's macros, one CustomFunctions.associate per function."""
    import xlwings
    lines = [_text("xlperf-addin.js"), "",
             f"XLPERF.base = {json.dumps(base)};",
             f"XLPERF.version = {json.dumps(xlwings.__version__)};",
             f"XLPERF.commands = {json.dumps([b[0] for b in ribbon.BUTTONS])};"]
    for name in sorted(vars(udfs)):
        info = getattr(getattr(udfs, name), "__xlfunc__", None)
        if info is None:
            continue
        excel = (info.get("name") or name).upper()
        lines.append(f"CustomFunctions.associate({json.dumps(excel)}, (...args) => "
                     f"XLPERF.call({json.dumps(name)}, args.slice(0, -1), args[args.length - 1]));")
    return "\n".join(lines) + "\n"


def png(size: int, rgb: tuple[int, int, int] = (0x1F, 0x6F, 0x4A)) -> bytes:
    """A square icon of one colour, as PNG bytes (no imaging library needed)."""
    row = b"\x00" + bytes(rgb) * size
    body = zlib.compress(row * size)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body)
            + chunk(b"IEND", b""))


def create_app(base: str, hosts: tuple[str, ...] = ("localhost", "127.0.0.1")) -> Any:
    """The Starlette application: every endpoint the add-in calls, answering only requests
    addressed to ``hosts`` (a page elsewhere cannot reach it through DNS rebinding)."""
    from html import escape

    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.requests import Request
    from starlette.responses import JSONResponse, PlainTextResponse, Response
    from starlette.routing import Route

    udfs, ribbon = modules()
    import xlwings as xw
    from xlwings.server import (custom_functions_call, custom_functions_meta,
                                custom_scripts_call, custom_scripts_meta)
    meta = custom_functions_meta(udfs)
    script = functions_js(base, udfs, ribbon)
    page = Template(_text("taskpane.html")).substitute(base=base)
    icons = {f"icon-{n}.png": png(n) for n in (16, 32, 80)}

    async def get_manifest(_r: Request) -> Response:
        return Response(manifest(base, ribbon), media_type="application/xml")

    async def get_page(_r: Request) -> Response:
        return Response(page, media_type="text/html; charset=utf-8")

    async def get_meta(_r: Request) -> Response:
        return JSONResponse(meta)

    async def get_script(_r: Request) -> Response:
        return Response(script, media_type="application/javascript; charset=utf-8")

    async def get_static(r: Request) -> Response:
        name = r.path_params["name"]
        if name in icons:
            return Response(icons[name], media_type="image/png")
        if name == "xlperf-addin.js":
            return Response(_text(name), media_type="application/javascript; charset=utf-8")
        return PlainTextResponse("not found", status_code=404)

    async def body(r: Request) -> Any:
        """The JSON a client posted: JSON only (a form post from another site is no such
        request), and no bigger than MAX_BODY."""
        if r.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            raise ValueError("Content-Type must be application/json")
        if int(r.headers.get("content-length") or 0) > MAX_BODY:
            raise ValueError("request too large")
        data = b""
        async for chunk in r.stream():
            data += chunk
            if len(data) > MAX_BODY:
                raise ValueError("request too large")
        return json.loads(data)

    async def call_function(r: Request) -> Response:
        try:
            return JSONResponse({"result": await custom_functions_call(await body(r), udfs)})
        except Exception as exc:  # noqa: BLE001 - Excel shows the text in the cell's #VALUE!
            return PlainTextResponse(f"{type(exc).__name__}: {exc}"[:250], status_code=500)

    async def call_script(r: Request) -> Response:
        name = r.path_params["name"]
        if name not in {b[0] for b in ribbon.BUTTONS}:
            return PlainTextResponse(f"no macro {name}", status_code=404)
        try:
            data = await body(r)
        except ValueError as exc:
            return PlainTextResponse(str(exc), status_code=400)
        book = xw.Book(json=data)
        try:
            book = await custom_scripts_call(ribbon, name, typehint_to_value={xw.Book: book})
            return JSONResponse(book.json())
        finally:
            book.close()

    async def scripts_meta(_r: Request) -> Response:
        return JSONResponse(custom_scripts_meta(ribbon))

    async def message(r: Request) -> Response:
        text = escape(r.query_params.get("text", "")[:2000])
        return Response(MESSAGE_PAGE.format(text=text), media_type="text/html; charset=utf-8")

    return Starlette(routes=[
        Route("/manifest.xml", get_manifest),
        Route("/taskpane.html", get_page),
        Route("/functions.json", get_meta),
        Route("/functions.js", get_script),
        Route("/static/{name}", get_static),
        Route("/xlwings/custom-functions-call", call_function, methods=["POST"]),
        Route("/xlwings/custom-scripts-call/{name}", call_script, methods=["POST"]),
        Route("/xlwings/custom-scripts-meta", scripts_meta),
        Route("/message.html", message),
    ], middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=hosts)])


@contextlib.contextmanager
def running(env: dict[str, str] | None = None, timeout: float = 30) -> Iterator[str]:
    """``xlperf serve`` in a child process on a free port of 127.0.0.1 while the block runs:
    its base URL (for tests and benchmarks, which call it as Excel would, over loopback)."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "xlperf.cli", "serve", "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(base + "/functions.json", timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("xlperf serve did not start: "
                                       + proc.stdout.read().decode()[-2000:])  # type: ignore
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def serve(host: str, port: int, cert: str | None = None, key: str | None = None) -> None:
    """Run the add-in's server until stopped (Ctrl+C)."""
    try:
        import uvicorn
    except ImportError:
        raise InputError("xlperf serve 需要安装可选组件:pip install \"xlperf[server]\"",
                         "xlperf serve needs its extra: pip install \"xlperf[server]\"") from None
    scheme = "https" if cert else "http"
    local = host in ("127.0.0.1", "localhost")
    app = create_app(f"{scheme}://{'localhost' if local else host}:{port}",
                     ("localhost", "127.0.0.1") if local else ("localhost", "127.0.0.1", host))
    uvicorn.run(app, host=host, port=port, ssl_certfile=cert, ssl_keyfile=key, log_level="info")
