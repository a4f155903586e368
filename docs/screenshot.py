"""Regenerate docs/dashboard.png: the dashboard at 1280x800 in headless Chromium, over a seeded emulator with traffic.

Run ``python docs/screenshot.py`` (needs selenium and Debian's chromium + chromium-driver, see .ci/install-browser;
fonts-noto-color-emoji draws the messages' emoji).
tests/test_dashboard.py imports this module for its browser, so the tests and the picture use the same one.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# Headless, and quiet: without the background-networking flags Chromium keeps calling home from a closed network.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars")
SIZE = (1280, 800)
NOW = "2026-11-24T12:00:00Z"
OFAUTH = {"apiKey": "ofa_test_main_2f7c9e41", "x-connection-id": "conn_emulator_main"}
ONLYFANSAPI = {"Authorization": "Bearer ofapi_test_main_5d21b7"}
ACCOUNT = "acct_fad58de7366495db4650cfefac2fcd61"
OUT = Path(__file__).resolve().parent / "dashboard.png"


def browser_missing() -> str | None:
    """Why Chromium cannot run here (its binaries are absent), or None when it can."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        return f"{' and '.join(missing)} not installed (apt-get install chromium chromium-driver, or .ci/install-browser)"
    return None


@contextmanager
def browser(width: int = SIZE[0], height: int = SIZE[1]) -> Iterator[Any]:
    """A headless Chromium driven through Debian's chromedriver, with its console log kept; removed afterwards."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="dashboard-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def stage(base_url: str) -> None:
    """Give the default session something to show: a message sending, one scheduled, a fault that fired."""
    with httpx.Client(base_url=base_url, timeout=10) as http:
        http.post("/_emulator/reset", json={"faults": True}).raise_for_status()
        http.post("/v2/access/mass-messages", headers=OFAUTH, json={
            "text": "Weekend drop is live 🔥 unlock it before Sunday", "userLists": ["fans"], "price": 12,
            "mediaItems": [4100000004]}).raise_for_status()
        http.post("/v2/access/mass-messages", headers=OFAUTH, json={
            "text": "Live Q&A tonight at 9, bring your questions", "userLists": [1001],
            "scheduledDate": "2026-11-24T21:00:00Z"}).raise_for_status()
        http.post("/_emulator/faults", json={"respond": {"status": 429, "headers": {"Retry-After": "2"}},
                                             "times": 2}).raise_for_status()
        http.get(f"/api/{ACCOUNT}/mass-messaging/3100000001", headers=ONLYFANSAPI)
        http.get(f"/api/{ACCOUNT}/mass-messaging/3100000001", headers=ONLYFANSAPI)
        http.get(f"/api/{ACCOUNT}/mass-messaging/3100000001", headers=ONLYFANSAPI).raise_for_status()
        http.get("/v2/access/mass-messages/3100000003", headers=OFAUTH).raise_for_status()
        http.post("/_emulator/clock", json={"advance": 12}).raise_for_status()


def viewport(driver: Any, width: int, height: int, mobile: bool = False) -> None:
    """Make the page's viewport exactly ``width`` x ``height`` CSS pixels (the window size counts browser chrome)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})


def capture(driver: Any, base_url: str, out: Path) -> Path:
    """Open the dashboard, wait until its queue and journal show, and save the window as a PNG."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    viewport(driver, *SIZE)
    driver.get(f"{base_url}/_emulator/ui/")
    WebDriverWait(driver, 15).until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid=journal-row]")
                                    and d.find_elements(By.CSS_SELECTOR, "[data-testid=queue-row]")
                                    and d.find_elements(By.CSS_SELECTOR, "#faults tbody tr"))
    out.parent.mkdir(parents=True, exist_ok=True)
    if not driver.save_screenshot(str(out)):
        raise RuntimeError(f"could not save {out}")
    return out


def main(argv: list[str] | None = None) -> int:
    """Start an emulator with its clock frozen at NOW, stage traffic, and save the screenshot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"where to save the PNG (default {OUT})")
    args = parser.parse_args(argv)
    reason = browser_missing()
    if reason:
        print(f"cannot take the screenshot: {reason}", file=sys.stderr)
        return 2
    from emulator import create_app
    from emulator.pytest_plugin import RunningServer

    server = RunningServer(create_app({"clock_start": NOW, "clock_frozen": True}))
    try:
        stage(server.base_url)
        with browser() as driver:
            print(capture(driver, server.base_url, args.out))
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
