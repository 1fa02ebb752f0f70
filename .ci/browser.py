#!/usr/bin/env python3
"""The web build in a real browser: serves web/dist, opens it in headless Chromium (WebGL2 through
its software rasteriser) and drives it over the DevTools protocol on a pipe.

Fails when the page logs an error, the canvas stays blank, or the tab's title misses the scene's
title; checks that a headless run in the page gives the desktop's CSV hash; prints the time to the
first frame and the frame rate; saves a screenshot.

usage: browser.py DIST SCREENSHOT.png --native MINDGRID [--scene NAME] [--run NAME --episodes N --seed S]
"""

import argparse
import base64
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zlib

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # WebGL2 on the CPU: SwiftShader behind ANGLE (recent versions want it asked for).
    "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist",
    "--window-size=1280,800", "--remote-debugging-pipe", "about:blank",
]


def png_pixels(png: bytes):
    """Width, height and rows of (r, g, b) of an 8-bit RGB or RGBA PNG (what Chromium writes)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    at, idat = 8, b""
    while at < len(png):
        length = int.from_bytes(png[at:at + 4], "big")
        kind, body = png[at + 4:at + 8], png[at + 8:at + 8 + length]
        if kind == b"IHDR":
            width, height = int.from_bytes(body[:4], "big"), int.from_bytes(body[4:8], "big")
            depth, colour = body[8], body[9]
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    assert depth == 8 and colour in (2, 6), f"PNG depth {depth}, colour type {colour}"
    step = 3 if colour == 2 else 4
    raw, stride, rows, previous = zlib.decompress(idat), width * step, [], bytearray(width * step)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - step] if i >= step else 0
            b, c = previous[i], previous[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * step:x * step + 3]) for x in range(width)])
        previous = line
    return width, height, rows


def fnv1a64(data: bytes) -> int:
    """FNV-1a, 64 bits: the same fingerprint the page prints."""
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


class Browser:
    """Chromium with the DevTools protocol on fds 3 (to it) and 4 (from it)."""

    def __init__(self, executable: str):
        self.profile = tempfile.mkdtemp(prefix="mindgrid-chromium-")
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()

        def fds():
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        self.process = subprocess.Popen(
            [executable, f"--user-data-dir={self.profile}", *FLAGS],
            preexec_fn=fds, close_fds=False,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []  # (session, method, params)
        self.session = None

    def _read_message(self, timeout: float):
        import select
        deadline = time.time() + timeout
        while b"\0" not in self.buffer:
            left = deadline - time.time()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.from_browser], [], [], left)
            if ready:
                chunk = os.read(self.from_browser, 1 << 20)
                if not chunk:
                    raise RuntimeError("the browser closed the DevTools pipe")
                self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, params=None, session=True, timeout=60.0):
        self.next_id += 1
        request = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            request["sessionId"] = self.session
        os.write(self.to_browser, json.dumps(request).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            message = self._read_message(deadline - time.time())
            if message is None:
                raise RuntimeError(f"no answer to {method} within {timeout} s")
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append((message.get("sessionId"), message["method"], message.get("params", {})))

    def pump(self, seconds: float):
        """Collects events for a while."""
        deadline = time.time() + seconds
        while time.time() < deadline:
            message = self._read_message(deadline - time.time())
            if message and "method" in message:
                self.events.append((message.get("sessionId"), message["method"], message.get("params", {})))

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        return result.get("result", {}).get("value")

    def open(self, url: str):
        target = self.call("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.call(
            "Target.attachToTarget", {"targetId": target, "flatten": True}, session=False
        )["sessionId"]
        for domain in ("Runtime.enable", "Log.enable", "Page.enable"):
            self.call(domain)
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False})
        self.call("Page.navigate", {"url": url})

    def close(self):
        try:
            self.call("Browser.close", session=False, timeout=5)
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def console_lines(events):
    """(level, text) of each console message, exception and log entry seen so far."""
    lines = []
    for _, method, params in events:
        if method == "Runtime.consoleAPICalled":
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            lines.append((params.get("type", "log"), text))
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            text = details.get("exception", {}).get("description") or details.get("text", "")
            lines.append(("exception", text))
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            lines.append((entry.get("level", "info"), entry.get("text", "")))
    return lines


def errors_in(lines):
    # Bevy's winit leaves its loop by throwing a control-flow exception: documented, not an error.
    return [(level, text) for level, text in lines
            if level in ("error", "exception") and "Using exceptions for control flow" not in text]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder: str):
    handler = functools.partial(QuietHandler, directory=folder)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def scene_title(name: str) -> str:
    text = open(f"scenes/{name}.ron", encoding="utf-8").read()
    match = re.search(r'^\s*title:\s*"([^"]*)"', text, re.M)
    return match.group(1) if match else ""


def wait_for(browser, expression: str, seconds: float):
    """Polls `expression` in the page until it is truthy; its last value."""
    deadline = time.time() + seconds
    value = None
    while time.time() < deadline:
        value = browser.evaluate(expression)
        if value:
            break
        browser.pump(0.25)
    return value


def files_in_and_out(browser, scene: str):
    """Ctrl+S saves the scene as a download; a scene dropped on the page opens."""
    failures = []
    downloads = tempfile.mkdtemp(prefix="mindgrid-downloads-")
    browser.call("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads},
                 session=False)
    browser.evaluate("document.getElementById('mindgrid').focus()")
    # Ctrl+S as a person types it: Control held (the app reads the key itself), S, both let go.
    control = {"key": "Control", "code": "ControlLeft", "windowsVirtualKeyCode": 17}
    s_key = {"key": "s", "code": "KeyS", "windowsVirtualKeyCode": 83, "modifiers": 2}
    for kind, key in (("rawKeyDown", control), ("rawKeyDown", s_key), ("keyUp", s_key),
                      ("keyUp", control)):
        browser.call("Input.dispatchKeyEvent", {"type": kind, **key})
        browser.pump(0.1)
    saved = os.path.join(downloads, f"{scene}.ron")
    deadline = time.time() + 20
    while not os.path.exists(saved) and time.time() < deadline:
        browser.pump(0.25)
    if not os.path.exists(saved):
        failures.append(f"Ctrl+S downloaded nothing (in {downloads}: {os.listdir(downloads)})")
    elif open(saved, encoding="utf-8").read() != open(f"scenes/{scene}.ron", encoding="utf-8").read():
        failures.append("the downloaded scene differs from the scene saved unchanged")
    else:
        print(f"browser: Ctrl+S downloaded {scene}.ron, the same text")
    shutil.rmtree(downloads, ignore_errors=True)

    dropped = "four_rooms" if scene == "dyna_maze" else "dyna_maze"
    text = open(f"scenes/{dropped}.ron", encoding="utf-8").read()
    browser.evaluate(
        "(() => { const t = new DataTransfer();"
        f" t.items.add(new File([{json.dumps(text)}], 'from-a-colleague.ron'));"
        " document.dispatchEvent(new DragEvent('drop', {dataTransfer: t, bubbles: true,"
        " cancelable: true})); })()")
    expected = scene_title(dropped)
    title = wait_for(browser, f"document.title.includes({json.dumps(expected)}) && document.title", 30)
    if not title:
        failures.append(f"a dropped scene did not open (title {browser.evaluate('document.title')!r})")
    else:
        print(f"browser: a scene dropped on the page opened: {title!r}")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("dist")
    parser.add_argument("screenshot")
    parser.add_argument("--native", required=True, help="the desktop mindgrid binary")
    parser.add_argument("--scene", default="showcase")
    parser.add_argument("--run", default="dyna_maze")
    parser.add_argument("--episodes", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()

    failures = []
    server, base = serve(args.dist)
    size = os.path.getsize(os.path.join(args.dist, "mindgrid_bg.wasm"))
    print(f"browser: .wasm {size / 1e6:.1f} MB")

    # 1. The window on a scene: first frame, frame rate, title, a drawn canvas, no errors.
    browser = Browser(args.chromium)
    try:
        started = time.time()
        browser.open(f"{base}?scene={args.scene}")
        while time.time() - started < args.timeout:
            browser.pump(0.5)
            frames = browser.evaluate("window.mindgrid_frames || 0") or 0
            if frames >= 30 or errors_in(console_lines(browser.events)):
                break
        frames0 = browser.evaluate("window.mindgrid_frames || 0") or 0
        first = browser.evaluate("window.mindgrid_first_frame_ms")
        if frames0 < 2 or first is None:
            failures.append(f"no frame drawn within {args.timeout:.0f} s")
        else:
            t0 = time.time()
            browser.pump(5.0)
            frames1 = browser.evaluate("window.mindgrid_frames || 0") or 0
            fps = (frames1 - frames0) / (time.time() - t0)
            print(f"browser: first frame shown {first:.0f} ms after the page began loading; "
                  f"{fps:.1f} frames/s over 5 s ({args.scene})")
        title = browser.evaluate("document.title") or ""
        expected = scene_title(args.scene)
        print(f"browser: tab title {title!r}")
        if not expected or expected not in title:
            failures.append(f"the tab's title {title!r} misses the scene's title {expected!r}")
        shot = base64.b64decode(browser.call("Page.captureScreenshot", {"format": "png"})["data"])
        with open(args.screenshot, "wb") as f:
            f.write(shot)
        # The arenas fill the middle of the window: their maps and value colours, not text, must
        # be there.
        width, height, rows = png_pixels(shot)
        middle = {pixel for row in rows[height // 5:height // 2] for pixel in row[width // 4:3 * width // 4]}
        print(f"browser: screenshot {width}x{height}, {len(middle)} colours in the arenas' part -> {args.screenshot}")
        if len(middle) < 40:
            failures.append(f"the arenas look blank ({len(middle)} colours in the middle of the page)")
        failures += files_in_and_out(browser, args.scene)
        for level, text in errors_in(console_lines(browser.events)):
            failures.append(f"the page logged an {level}: {text[:500]}")
    finally:
        browser.close()

    # 2. The same numbers: a headless run in the page against the desktop's CSV.
    native = subprocess.run(
        [args.native, "run", f"scenes/{args.run}.ron", "--episodes", str(args.episodes),
         "--seed", str(args.seed)], capture_output=True, check=True).stdout
    expected = f"csv-fnv1a64={fnv1a64(native):016x} csv-bytes={len(native)}"
    browser = Browser(args.chromium)
    try:
        browser.open(f"{base}?run={args.run}&episodes={args.episodes}&seed={args.seed}")
        said = None
        deadline = time.time() + args.timeout
        while said is None and time.time() < deadline and not errors_in(console_lines(browser.events)):
            browser.pump(0.5)
            said = next((text for _, text in console_lines(browser.events) if text.startswith("mindgrid-run")), None)
        print(f"browser: {said}")
        print(f"native:  {expected}")
        if said is None or not said.endswith(expected):
            failures.append(f"the page's run of {args.run} does not match the desktop's ({expected})")
        for level, text in errors_in(console_lines(browser.events)):
            failures.append(f"the page logged an {level}: {text[:500]}")
    finally:
        browser.close()
        server.shutdown()

    for failure in failures:
        print(f"browser: FAIL: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
