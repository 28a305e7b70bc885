"""Refresh the README's pictures in docs/screenshots/ (assessment, "do now", examples, handout, phone).

    .venv/bin/python -m tests.web.make_screenshots

Serves the pages on a loopback port and photographs them with Debian's chromium, as the
browser tests do.
"""

from __future__ import annotations

import threading
import time

import uvicorn
from playwright.sync_api import sync_playwright

from tests.web.conftest import CHROMIUM, CHROMIUM_FLAGS, ROOT, _free_port, make_app

# name: (path, viewport width, viewport height); the README shows these.
SHOTS = {
    "assessment.png": ("/assessment?example=01_impending_femoral_fracture", 1280, 1700),
    "do-now.png": ("/assessment?example=02_cord_compression", 1280, 800),
    "case-entry-examples.png": ("/", 1280, 800),
    "handout.png": ("/handout?example=01_impending_femoral_fracture", 1000, 1400),
    "assessment-375.png": ("/assessment?example=20_bone_scan_hot_spots_need_site_imaging", 375, 812),
}


def main() -> None:
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(make_app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)
            for name, (url, width, height) in SHOTS.items():
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(f"http://127.0.0.1:{port}{url}")
                page.screenshot(path=str(out / name))
                page.close()
                print(out / name)
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)


if __name__ == "__main__":
    main()
