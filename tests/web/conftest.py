"""Fixtures for the web tests: the pages served by uvicorn on a loopback port, and Debian's
chromium driven by Playwright (headless). Screenshots go to test-artifacts/ at the repo root.

The browser is Debian's /usr/bin/chromium (scripts/ensure-chromium.sh installs it); Playwright's
own browser download (`playwright install`) is never used.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import uvicorn
from fastapi import FastAPI

from bonemet.web import mount_web

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def make_app() -> FastAPI:
    """The smallest app that serves the pages: what `bonemet serve` does, minus the JSON API."""
    app = FastAPI()
    mount_web(app)
    return app


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(make_app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the web app did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-chromium.sh (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)
    yield launched
    launched.close()


class ConsoleLog:
    """Console errors and failed requests seen by a page (a CSP violation shows up here)."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def attach(self, page: Page) -> None:
        page.on("console", lambda message: self._console(message.type, message.text))
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))

    def _console(self, kind: str, text: str) -> None:
        if kind == "error":
            self.errors.append(text)


def _new_context(browser: Browser, **options: Any) -> BrowserContext:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True, **options)
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def console() -> ConsoleLog:
    return ConsoleLog()


@pytest.fixture
def page(browser: Browser, base_url: str, console: ConsoleLog) -> Iterator[Page]:
    context = _new_context(browser, base_url=base_url)
    opened = context.new_page()
    console.attach(opened)
    yield opened
    context.close()


@pytest.fixture
def page_without_js(browser: Browser, base_url: str) -> Iterator[Page]:
    context = _new_context(browser, base_url=base_url, java_script_enabled=False)
    yield context.new_page()
    context.close()


@pytest.fixture
def page_for_audit(browser: Browser, base_url: str) -> Iterator[Page]:
    """A page that lets the test inject axe-core despite the app's Content Security Policy."""
    context = _new_context(browser, base_url=base_url, bypass_csp=True)
    yield context.new_page()
    context.close()


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
