"""The dashboard: its admin routes through Flask's client, and the page in headless Chromium driven by Selenium."""
from __future__ import annotations

import importlib.util
import struct
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from flask import Flask
from flask.testing import FlaskClient
from onlyfansapi import RateLimitError
from selenium.webdriver import Chrome as WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait

from emulator import create_app
from emulator.pytest_plugin import RunningServer
from emulator.testing import Emulator

from .conftest import ACCOUNT, NOW, OFAUTH, create
from .spec_check import httpx_hook

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("dashboard_screenshot", ROOT / "docs" / "screenshot.py")
assert _spec is not None and _spec.loader is not None
screenshot = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(screenshot)

TOKEN = "dashboard-admin-token"
WAIT = 10  # seconds; the page polls once a second, so anything slower than this is a failure


# --- the admin routes, in process -------------------------------------------------------------------------------

def test_queue_lists_every_creator_with_its_messages_as_of_the_clock(client: FlaskClient) -> None:
    created = create(client, text="Hello <b>fans</b>", scheduledDate="2026-11-24T13:00:00Z").get_json()
    body = client.get("/_emulator/queue").get_json()
    assert body["session"] == "default"
    assert body["clock"] == {"now": "2026-11-24T12:00:00+00:00", "epoch": 1795521600.0, "frozen": True}
    assert [creator["id"] for creator in body["creators"]] == [412000001, 412000002, 412000003]
    rows = body["creators"][0]["messages"]
    assert [row["id"] for row in rows[:3]] == [3100000001, created["id"], 3100000003]  # latest send time first
    assert rows[1] == {"id": created["id"], "text": "Hello fans", "status": "scheduled",
                       "date": "2026-11-24T13:00:00+00:00", "total": 1240, "pending": 1240, "sentCount": 0,
                       "viewedCount": 0, "purchasedCount": 0, "canUnsend": False, "unsendSeconds": 0,
                       "price": "0.00", "mediaCount": 0}
    assert rows[2]["status"] == "sent" and rows[2]["canUnsend"] is True and rows[2]["unsendSeconds"] == 82800
    assert body["creators"][0]["more"] is False
    assert body["journal"] == {"latest": 1, "count": 1}


def test_queue_limit_keeps_the_soonest_waiting_and_latest_started(client: FlaskClient) -> None:
    body = client.get("/_emulator/queue?limit=1").get_json()
    first = body["creators"][0]
    assert [row["status"] for row in first["messages"]] == ["scheduled", "sent"] and first["more"] is True
    assert client.get("/_emulator/queue?limit=0").status_code == 400
    assert client.get("/_emulator/queue?limit=501").get_json() == {
        "error": "limit must be a whole number from 1 to 500, in ASCII digits.", "status": 400}


def test_queue_item_shows_both_vendor_shapes(client: FlaskClient) -> None:
    body = client.get("/_emulator/queue/3100000001").get_json()
    direct = client.get("/v2/access/mass-messages/3100000001", headers=OFAUTH).get_json()
    assert body["ofauth"] == direct
    retrieved = client.get(f"/api/{ACCOUNT}/mass-messaging/3100000001",
                           headers={"Authorization": "Bearer ofapi_test_main_5d21b7"}).get_json()
    assert body["onlyfansapi"] == {key: retrieved["data"][key] for key in ("success", "queue")}


@pytest.mark.parametrize("item_id", ["3100000099", "abc", "0", "-1", "99999999999999999999", "3100000001.0"])
def test_queue_item_unknown_is_404_in_admin_shape(client: FlaskClient, item_id: str) -> None:
    response = client.get(f"/_emulator/queue/{item_id}")
    assert response.status_code == 404
    assert response.get_json()["status"] == 404 and "in this session" in response.get_json()["error"]


def test_queue_follows_the_session_header(client: FlaskClient) -> None:
    create(client, text="Only in default")
    other = client.get("/_emulator/queue", headers={"X-Emulator-Session": "elsewhere"}).get_json()
    assert other["session"] == "elsewhere"
    assert "Only in default" not in [row["text"] for row in other["creators"][0]["messages"]]


def test_queue_routes_need_the_admin_token_but_the_page_does_not() -> None:
    app = create_app({"admin_token": TOKEN})
    client = app.test_client()
    assert client.get("/_emulator/queue").status_code == 401
    assert client.get("/_emulator/queue/3100000001").status_code == 401
    assert client.get("/_emulator/queue", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.get("/_emulator/queue", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert client.get("/_emulator/ui/").status_code == 200


@pytest.mark.parametrize("name,kind", [("", "text/html"), ("app.js", "text/javascript"), ("style.css", "text/css")])
def test_page_files_are_served_from_the_package_with_a_strict_policy(app: Flask, name: str, kind: str) -> None:
    response = app.test_client().get(f"/_emulator/ui/{name}")
    assert response.status_code == 200 and response.mimetype == kind
    assert "connect-src 'self'" in response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in response.headers["Content-Security-Policy"]  # no inline script, no CDN
    assert b"http://" not in response.data and b"https://" not in response.data


def test_page_redirects_to_its_folder_and_refuses_other_files(client: FlaskClient) -> None:
    redirect = client.get("/_emulator/ui")
    assert redirect.status_code == 302 and redirect.headers["Location"].endswith("ui/")
    assert client.get("/_emulator/ui/missing.js").status_code == 404
    assert client.get("/_emulator/ui/..%2Froutes.py").status_code == 404


# --- the page, in a real browser ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def live() -> Iterator[RunningServer]:
    """A real server for this module, its clock frozen at NOW so statuses are exact."""
    server = RunningServer(create_app({"clock_start": NOW, "clock_frozen": True}))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def driver() -> Iterator[WebDriver]:
    """One headless Chromium for the whole module (starting one takes about a second)."""
    reason = screenshot.browser_missing()
    if reason:
        pytest.skip(f"no browser: {reason}")
    with screenshot.browser() as browser:
        yield browser


@pytest.fixture
def session(live: RunningServer) -> Iterator[Emulator]:
    """The default session of the module's server, back at the fixtures, with SDK responses checked by the specs."""
    helper = Emulator(live.base_url, "default")
    helper.reset(faults=True)
    yield helper
    helper.close()


@pytest.fixture
def downloads(driver: WebDriver, tmp_path: Path) -> Path:
    """A folder the browser saves downloads into."""
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    return tmp_path


@pytest.fixture
def page(driver: WebDriver, live: RunningServer, session: Emulator) -> Iterator[WebDriver]:
    """The dashboard freshly opened on the default session; the console must stay free of errors."""
    driver.get_log("browser")  # drop what earlier tests left
    driver.get(f"{live.base_url}/_emulator/ui/")
    driver.execute_script("sessionStorage.clear()")
    driver.refresh()
    wait(driver, lambda d: row(d, 3100000001))
    yield driver
    assert console_errors(driver) == []


def wait(driver: WebDriver, condition: Callable[[WebDriver], Any], timeout: float = WAIT) -> Any:
    """Wait until ``condition`` gives something truthy, polling every 50 ms, and return it."""
    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(condition)


def row(driver: WebDriver, message_id: int) -> WebElement | None:
    """The queue row of a message, if the page shows it."""
    found = driver.find_elements(By.CSS_SELECTOR, f"[data-testid=queue-row][data-id='{message_id}']")
    return found[0] if found else None


def status_of(driver: WebDriver, message_id: int) -> str | None:
    """The status the page shows for a message."""
    found = row(driver, message_id)
    return found.get_attribute("data-status") if found else None


def pending_of(driver: WebDriver, message_id: int) -> int:
    """The pending count the page shows for a message."""
    return int(wait(driver, lambda d: row(d, message_id)).find_elements(By.TAG_NAME, "td")[5].text.replace(",", ""))


def console_errors(driver: WebDriver, allowed: str | None = None) -> list[str]:
    """The browser console's errors since the last call, less those mentioning ``allowed``."""
    return [entry["message"] for entry in driver.get_log("browser")
            if entry["level"] == "SEVERE" and not (allowed and allowed in entry["message"])]


def sdk(helper: Emulator) -> Any:
    """An OnlyFansAPI SDK client on the helper's session, without retries, its responses checked against openapi/."""
    return helper.onlyfansapi_client(max_retries=0, http_client=httpx.Client(event_hooks={"response": [httpx_hook]}))


def test_page_shows_the_seeded_queue_and_both_vendor_shapes(page: WebDriver) -> None:
    assert status_of(page, 3100000001) == "scheduled" and status_of(page, 3100000003) == "sent"
    assert status_of(page, 3100000004) == "scheduled"  # the second creator's
    assert page.find_element(By.CSS_SELECTOR, "#clock .now").text == "2026-11-24 12:00:00"
    assert page.find_element(By.CSS_SELECTOR, "#clock .mode").text == "frozen"
    assert "Flash sale for my VIPs" in wait(page, lambda d: row(d, 3100000003)).text

    button = wait(page, lambda d: row(d, 3100000001)).find_element(By.TAG_NAME, "button")
    button.send_keys(Keys.ENTER)  # keyboard only: the id is a button
    dialog = wait(page, lambda d: d.find_element(By.ID, "detail") if "3100000001" in d.find_element(
        By.ID, "detail-title").text else None)
    text = dialog.text
    assert '"queueId": 3100000001' in text and '"success": true' in text and '"textCropped"' in text
    dialog.send_keys(Keys.ESCAPE)
    wait(page, lambda d: not d.find_element(By.ID, "detail").is_displayed())


def test_message_created_through_the_sdk_appears_without_a_reload(page: WebDriver, session: Emulator) -> None:
    page.execute_script("window.notReloaded = true")
    sent = sdk(session).mass_messaging.send(ACCOUNT, text="Made by the SDK", user_lists=["fans"])
    shown = wait(page, lambda d: row(d, sent.data.id))
    assert shown.get_attribute("data-status") == "sending" and "Made by the SDK" in shown.text
    assert page.execute_script("return window.notReloaded") is True


def test_canceled_message_is_marked_before_it_goes(page: WebDriver, session: Emulator) -> None:
    client = sdk(session)
    sent = client.mass_messaging.send(ACCOUNT, text="Soon canceled", user_lists=["fans"],
                                      scheduled_date="2026-12-24T09:00:00.000Z")
    wait(page, lambda d: status_of(d, sent.data.id) == "scheduled")
    client.mass_messaging.delete(str(sent.data.id), account=ACCOUNT)
    wait(page, lambda d: status_of(d, sent.data.id) == "canceled")


def test_clock_button_moves_a_message_from_scheduled_to_sending(page: WebDriver) -> None:
    assert status_of(page, 3100000004) == "scheduled"  # due in one day
    page.find_element(By.CSS_SELECTOR, "[data-testid=clock-advance][data-seconds='86400']").click()
    wait(page, lambda d: status_of(d, 3100000004) == "sending")
    assert page.find_element(By.CSS_SELECTOR, "#clock .now").text == "2026-11-25 12:00:00"
    wait(page, lambda d: "Clock advanced" in d.find_element(By.ID, "announce").text)


def test_clock_can_be_set_frozen_and_unfrozen(page: WebDriver, session: Emulator) -> None:
    page.find_element(By.ID, "clock-now").send_keys("2026-11-25T12:00:05Z", Keys.ENTER)
    wait(page, lambda d: d.find_element(By.CSS_SELECTOR, "#clock .now").text == "2026-11-25 12:00:05")
    pending = pending_of(page, 3100000004)
    assert status_of(page, 3100000004) == "sending" and 279 <= pending <= 281  # 530 less 5 s at 50 a second
    page.find_element(By.CSS_SELECTOR, "#clock button.freeze").click()
    wait(page, lambda d: d.find_element(By.CSS_SELECTOR, "#clock .mode").text == "running")
    assert session.clock.now()["frozen"] is False
    wait(page, lambda d: pending_of(d, 3100000004) < pending)  # counting down with the running clock
    page.find_element(By.CSS_SELECTOR, "#clock button.freeze").click()
    wait(page, lambda d: d.find_element(By.CSS_SELECTOR, "#clock .mode").text == "frozen")


def test_fault_preset_fails_the_next_sdk_call_and_the_journal_marks_it(page: WebDriver, session: Emulator) -> None:
    page.find_element(By.CSS_SELECTOR, "[data-testid=fault-preset][data-preset='429x2']").click()
    wait(page, lambda d: d.find_elements(By.CSS_SELECTOR, "#faults tbody tr[data-id='fault_1']"))
    assert [rule["times"] for rule in session.faults.list()] == [2]

    with pytest.raises(RateLimitError):
        sdk(session).mass_messaging.retrieve("3100000001", account=ACCOUNT)
    journal_row = wait(page, lambda d: next(iter(d.find_elements(By.CSS_SELECTOR, "[data-testid=journal-row]")), None))
    assert journal_row.get_attribute("data-status") == "429" and journal_row.get_attribute("data-fault") == "fault_1"
    assert "faulted" in journal_row.get_attribute("class") and "fault_1" in journal_row.text
    wait(page, lambda d: d.find_element(By.CSS_SELECTOR, "#faults tbody tr[data-id='fault_1']").text.count("1 / 1"))

    journal_row.click()
    detail = wait(page, lambda d: d.find_element(By.ID, "detail").text or None)
    assert "Too Many Attempts." in detail and "ofapi_test_main_5d21b7" not in detail  # the key stays masked
    assert "fault rule fault_1" in detail


def test_custom_fault_rule_is_added_and_removed(page: WebDriver, session: Emulator) -> None:
    page.find_element(By.CSS_SELECTOR, "#faults summary").click()
    form = page.find_element(By.CSS_SELECTOR, "#faults form.custom")
    form.find_element(By.NAME, "route").send_keys("retrieve_mass_message")
    form.find_element(By.NAME, "status").send_keys("503")
    form.find_element(By.NAME, "times").send_keys("3")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(page, lambda d: d.find_elements(By.CSS_SELECTOR, "#faults tbody tr[data-id='fault_1']"))
    [rule] = session.faults.list()
    assert (rule["match"], rule["respond"], rule["times"]) == ({"route": "retrieve_mass_message"}, {"status": 503}, 3)
    page.find_element(By.CSS_SELECTOR, "#faults tbody tr[data-id='fault_1'] button.remove").click()
    wait(page, lambda d: not d.find_elements(By.CSS_SELECTOR, "#faults tbody tr"))
    assert session.faults.list() == []


def test_journal_filters_ask_the_server(page: WebDriver, session: Emulator) -> None:
    client = sdk(session)
    client.mass_messaging.retrieve("3100000001", account=ACCOUNT)
    client.mass_messaging.list(ACCOUNT)
    wait(page, lambda d: len(d.find_elements(By.CSS_SELECTOR, "[data-testid=journal-row]")) == 2)
    page.find_element(By.CSS_SELECTOR, "#journal input[name=path]").send_keys("3100000001")
    wait(page, lambda d: len(d.find_elements(By.CSS_SELECTOR, "[data-testid=journal-row]")) == 1)
    Select(page.find_element(By.CSS_SELECTOR, "#journal select[name=vendor]")).select_by_value("ofauth")
    wait(page, lambda d: not d.find_elements(By.CSS_SELECTOR, "[data-testid=journal-row]"))


def test_reset_button_brings_back_the_fixtures(page: WebDriver, session: Emulator) -> None:
    sent = sdk(session).mass_messaging.send(ACCOUNT, text="Gone after the reset", user_lists=["fans"])
    session.faults.add(respond={"status": 503})
    wait(page, lambda d: row(d, sent.data.id) and d.find_elements(By.CSS_SELECTOR, "#faults tbody tr"))
    page.find_element(By.CSS_SELECTOR, "[data-testid=reset]").click()
    wait(page, lambda d: row(d, sent.data.id) is None)
    wait(page, lambda d: not d.find_elements(By.CSS_SELECTOR, "#faults tbody tr"))
    assert not page.find_elements(By.CSS_SELECTOR, "[data-testid=journal-row]")
    assert status_of(page, 3100000001) == "scheduled" and session.faults.list() == []


def test_state_is_exported_and_imported(page: WebDriver, session: Emulator, downloads: Path) -> None:
    sent = sdk(session).mass_messaging.send(ACCOUNT, text="Kept in the state file", user_lists=["fans"])
    wait(page, lambda d: row(d, sent.data.id))
    page.find_element(By.CSS_SELECTOR, "#state button.export").click()
    saved = wait(page, lambda d: next(iter(downloads.glob("emulator-state-default.json")), None))
    session.reset()
    wait(page, lambda d: row(d, sent.data.id) is None)
    page.find_element(By.ID, "state-file").send_keys(str(saved))
    page.find_element(By.CSS_SELECTOR, "#state form.import button").click()
    wait(page, lambda d: row(d, sent.data.id))
    assert "State imported" in page.find_element(By.ID, "announce").text


def test_session_switcher_shows_another_world(page: WebDriver, live: RunningServer) -> None:
    name = f"dash-{uuid.uuid4().hex[:8]}"
    other = Emulator(live.base_url, name)
    try:
        sent = sdk(other).mass_messaging.send(ACCOUNT, text="In another session", user_lists=["fans"])
        page.refresh()  # the session list refreshes every few seconds; a reload reads it at once
        Select(wait(page, lambda d: d.find_element(By.ID, "session") if d.find_elements(
            By.CSS_SELECTOR, f"#session option[value='{name}']") else None)).select_by_value(name)
        wait(page, lambda d: row(d, sent.data.id))
    finally:
        other.close()
    assert page.execute_script("return sessionStorage.getItem('emulator.session')") == name


def test_page_fits_a_phone_screen(page: WebDriver) -> None:
    screenshot.viewport(page, 390, 844, mobile=True)
    try:
        page.refresh()
        shown = wait(page, lambda d: row(d, 3100000001))
        assert page.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
        assert shown.find_element(By.TAG_NAME, "button").is_displayed()
    finally:
        page.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_page_asks_for_the_admin_token_and_shows_nothing_without_it(driver: WebDriver) -> None:
    server = RunningServer(create_app({"clock_start": NOW, "clock_frozen": True, "admin_token": TOKEN}))
    try:
        driver.get(f"{server.base_url}/_emulator/ui/")
        wait(driver, lambda d: d.find_element(By.ID, "login").is_displayed())
        assert not driver.find_element(By.ID, "dashboard").is_displayed() and row(driver, 3100000001) is None

        driver.find_element(By.ID, "token").send_keys("wrong", Keys.ENTER)
        wait(driver, lambda d: "refused" in d.find_element(By.CSS_SELECTOR, "#login .error").text)
        assert row(driver, 3100000001) is None

        driver.find_element(By.ID, "token").send_keys(TOKEN, Keys.ENTER)
        wait(driver, lambda d: row(d, 3100000001))
        assert driver.execute_script("return sessionStorage.getItem('emulator.adminToken')") == TOKEN
        assert TOKEN not in driver.current_url
        driver.refresh()  # the token survives a reload of the tab
        wait(driver, lambda d: row(d, 3100000001))
        assert console_errors(driver, allowed="401") == []
    finally:
        driver.get("about:blank")  # stop polling before the server goes
        server.stop()


def test_screenshot_script_saves_the_dashboard_at_1280_by_800(driver: WebDriver, live: RunningServer,
                                                               tmp_path: Path) -> None:
    screenshot.stage(live.base_url)
    driver.get_log("browser")  # drop what earlier tests left
    try:
        saved = screenshot.capture(driver, live.base_url, tmp_path / "dashboard.png")
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    header = saved.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", header[16:24]) == (1280, 800)
    assert console_errors(driver) == []


def test_media_route_shows_vaults_uploads_and_events(client: FlaskClient) -> None:
    plan = client.post("/v2/access/uploads/init", json={"filename": "a.jpg", "size": 3, "contentType": "image/jpeg"},
                       headers=OFAUTH).get_json()
    client.post("/_emulator/events", json={"kind": "connection_expired", "target": "conn_emulator_second", "in": 60})
    before = client.get("/_emulator/media").get_json()
    assert before["creators"][0]["uploads"][0] == {"id": plan["mediaUploadId"], "filename": "a.jpg", "type": "photo",
                                                   "size": 3, "parts": "0/1", "mediaId": None, "stage": "receiving"}
    assert before["creators"][0]["vault"] == {"photo": 4, "video": 2, "gif": 1, "audio": 1}
    assert before["events"][0]["applied"] is False
    client.put(f"/v2/access/uploads/{plan['mediaUploadId']}", data=b"abc",
               headers={**OFAUTH, "Content-Type": "image/jpeg"})
    assert client.get("/_emulator/media").get_json()["creators"][0]["uploads"][0]["stage"] == "processing"
    client.post("/_emulator/clock", json={"advance": 60})
    after = client.get("/_emulator/media").get_json()
    assert after["creators"][0]["uploads"][0]["stage"] == "ready" and after["events"][0]["applied"] is True


def test_page_shows_an_upload_processing_then_ready(page: WebDriver, session: Emulator) -> None:
    client = session.ofauth_client()
    client.upload_media("conn_emulator_main", "shoot.jpg", b"\xff\xd8" * 100, "image/jpeg")

    def shown(selector: str) -> Any:  # read in one script: the card is rebuilt on every poll
        return page.execute_script(
            "const row = document.querySelector(arguments[0]);"
            "return row ? {stage: row.dataset.stage, text: row.textContent} : null;", selector)

    upload = wait(page, lambda d: shown("[data-testid=upload]"))
    assert upload["stage"] == "processing" and "shoot.jpg" in upload["text"]
    page.find_element(By.CSS_SELECTOR, "[data-testid=clock-advance][data-seconds='60']").click()
    wait(page, lambda d: (shown("[data-testid=upload]") or {}).get("stage") == "ready")
    assert "Uploads 1" in shown("[data-testid=vault][data-creator='412000001']")["text"]
