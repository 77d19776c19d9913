"""Signing in to the ombudsman's pages: the API's token, a session cookie a script cannot read and
no other site can send, the monitor only, forms refused without the session's CSRF token."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie

import pytest

from handoff_devtools.issuer import DEVELOPMENT_ISSUER, LocalIssuer
from monitoring.entrypoints.web.session import COOKIE, Session

pytestmark = pytest.mark.db


def cookie_of(set_cookie: str) -> dict[str, str | bool]:
    jar: SimpleCookie = SimpleCookie()
    jar.load(set_cookie)
    morsel = jar[COOKIE]
    return {key: morsel[key] for key in ("path", "max-age", "samesite", "secure", "httponly")}


async def test_a_monitor_signs_in_with_the_apis_token_into_a_cookie_no_script_or_other_site_gets(
    browser,
) -> None:
    first = await browser.client.get("/ui/upcoming")
    assert first.status_code == 303
    assert first.headers["location"] == "/ui/login?next=/ui/upcoming"

    login = await browser.client.get("/ui/login")
    assert login.status_code == 200
    assert '<label for="f-token">Your bearer token</label>' in login.text
    assert cookie_of(login.headers["set-cookie"]) == {
        "path": "/ui",
        "max-age": "3600",  # the sign-in form's own window
        "samesite": "strict",
        "secure": True,
        "httponly": True,
    }

    signed_in = await browser.sign_in(subject="MON-07")
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/ui/upcoming"
    session = cookie_of(signed_in.headers["set-cookie"])
    assert (session["path"], session["samesite"], session["secure"], session["httponly"]) == (
        "/ui",
        "strict",
        True,
        True,
    )
    assert 12 * 3600 - 60 <= int(str(session["max-age"])) <= 12 * 3600  # the token's 12 hours

    page = await browser.client.get("/ui/upcoming")
    assert page.status_code == 200
    assert "Signed in as <strong>MON-07</strong>" in page.text
    assert "no-store" in page.headers["cache-control"]

    api = await browser.client.get("/notices")  # the cookie is no credential for the API
    assert api.status_code == 401


@pytest.mark.parametrize("role", ["police", "operator", "agency"])
async def test_other_roles_get_a_page_saying_these_pages_are_the_monitors(browser, role: str) -> None:
    refused = await browser.sign_in(role=role)
    assert refused.status_code == 403
    assert "text/html" in refused.headers["content-type"]
    assert f"You signed in with the role &#39;{role}&#39;" in refused.text
    assert (await browser.client.get("/ui/upcoming")).status_code == 303


async def test_a_wrong_token_is_refused_on_the_sign_in_page(browser) -> None:
    login = await browser.client.get("/ui/login")
    csrf = login.text.split('name="csrf_token" value="')[1].split('"')[0]
    forged = LocalIssuer.generate(kid=DEVELOPMENT_ISSUER.current.kid).token("monitor", subject="MON-07")
    for token, status in ((forged, 401), ("not a token", 401), ("", 422)):
        answer = await browser.client.post("/ui/login", data={"csrf_token": csrf, "token": token})
        assert answer.status_code == status
        assert 'aria-invalid="true"' in answer.text
        assert "set-cookie" not in answer.headers
    assert (await browser.client.get("/ui/upcoming")).status_code == 303


async def test_signing_in_needs_the_forms_csrf_token(browser) -> None:
    await browser.client.get("/ui/login")
    token = DEVELOPMENT_ISSUER.token("monitor", subject="MON-07")
    for csrf in ("", "guessed"):
        answer = await browser.client.post("/ui/login", data={"csrf_token": csrf, "token": token})
        assert answer.status_code == 403
        assert "The sign-in form has expired" in answer.text
    assert (await browser.client.get("/ui/upcoming")).status_code == 303


async def test_the_session_ends_with_the_token_a_changed_cookie_opens_nothing_and_sign_out_ends_it(
    browser,
) -> None:
    await browser.sign_in()
    value = browser.client.cookies[COOKIE]
    browser.client.cookies.clear()
    browser.client.cookies.set(COOKIE, value[:-2] + ("AA" if value[-2:] != "AA" else "BB"), path="/ui")
    assert (await browser.client.get("/ui/upcoming")).status_code == 303

    expired = DEVELOPMENT_ISSUER.token("monitor", subject="MON-07", lifetime=-timedelta(seconds=30))
    seal = browser.app.state.web.seal
    later = int((datetime.now(UTC) + timedelta(hours=1)).timestamp())
    browser.client.cookies.clear()
    browser.client.cookies.set(COOKIE, seal.seal(Session.signed_in(expired, later)), path="/ui")
    ended = await browser.client.get("/ui/statistics")
    assert ended.status_code == 303
    assert ended.headers["location"] == "/ui/login?next=/ui/statistics&reason=ended"
    assert "Max-Age=0" in ended.headers["set-cookie"]
    assert "Your session has ended" in (await browser.client.get(ended.headers["location"])).text

    browser.client.cookies.clear()
    await browser.sign_in()
    assert (await browser.submit("/ui/logout")).headers["location"] == "/ui/login?reason=signed-out"
    assert (await browser.client.get("/ui/upcoming")).status_code == 303


async def test_after_signing_in_a_person_returns_to_the_page_asked_never_to_another_site(browser) -> None:
    login = await browser.client.get("/ui/login", params={"next": "/ui/statistics?department=POL-SYD"})
    csrf = login.text.split('name="csrf_token" value="')[1].split('"')[0]
    token = DEVELOPMENT_ISSUER.token("monitor", subject="MON-07")
    for asked, went in (
        ("/ui/statistics?department=POL-SYD", "/ui/statistics?department=POL-SYD"),
        ("https://elsewhere.example/ui/", "/ui/upcoming"),
        ("//elsewhere.example/ui/", "/ui/upcoming"),
        ("/ui/\\elsewhere", "/ui/upcoming"),
        ("/notices", "/ui/upcoming"),
    ):
        browser.client.cookies.clear()
        login = await browser.client.get("/ui/login")
        csrf = login.text.split('name="csrf_token" value="')[1].split('"')[0]
        answer = await browser.client.post(
            "/ui/login", data={"csrf_token": csrf, "token": token, "next": asked}
        )
        assert answer.headers["location"] == went, asked
