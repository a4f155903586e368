"""The dashboard page shows each creator's fans and list sizes, and each message's audience, in a real browser."""
from __future__ import annotations

from selenium.webdriver.common.by import By

from .test_dashboard import driver, live, page, row, session, wait  # noqa: F401 - the page and its server


def test_page_shows_each_creators_fans_lists_and_audiences(page) -> None:  # noqa: F811
    shown = wait(page, lambda d: d.find_element(By.CSS_SELECTOR, "[data-testid=creator-lists]").text or None)
    assert shown.startswith("1,240 active fans, 310 expired · lists: Fans 1,240 · Following 312")
    assert "VIP 48 · Big spenders 19 · Most active 120" in shown
    header = page.find_element(By.CSS_SELECTOR, "section.creator thead").text
    assert "Sent / audience" in header
    assert "48 / 48" in wait(page, lambda d: row(d, 3100000003)).text  # sent to the 48 VIPs an hour ago
