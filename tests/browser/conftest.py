"""Chromium, driven by Playwright, against pytest-django's live server.

The browser starts once per module. Each test gets a fresh browser context (so no
cookies carry over) wrapped in a helpers.Tab, which records console errors,
uncaught exceptions and CSP violations, and runs axe-core on a page.
"""

import contextlib
import ipaddress
import os
from pathlib import Path

import pgtrigger
import pytest
from django.db import connections
from django.db.models.signals import post_migrate

from jigsaw.audit.ledger import GENESIS
from jigsaw.audit.models import ChainHead
from tests.browser.helpers import RECORD_CSP_VIOLATIONS, Tab
from tests.database import UNTRUNCATABLE

CHROMIUM = os.environ.get("JIGSAW_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
TIMEOUT_MS = 10_000


_CHAIN_HEAD_UID = "browser-tests-chain-head"


def _put_back_chain_head(sender, using, **kwargs):
    if sender.label == ChainHead._meta.app_label:
        ChainHead.objects.using(using).get_or_create(pk=1, defaults={"seq": 0, "hash": GENESIS})


@contextlib.contextmanager
def flushable_ledger():
    """Let the live-server tests' database flush empty the access ledger, as it was.

    The live server needs transactional_db, which empties every table after each
    test by TRUNCATE; the ledger's no_truncate trigger rightly refuses that, and
    the failed flush would leave the cast behind for every later test. So, for
    this (the tests') thread only, and only that trigger, the refusal is ignored;
    the live server's thread, which serves the app, still has it. The flush also
    removes the chain head the migrations made: flush then sends post_migrate, on
    which the head is put back.
    """
    post_migrate.connect(_put_back_chain_head, dispatch_uid=_CHAIN_HEAD_UID)
    try:
        with pgtrigger.ignore(*UNTRUNCATABLE):
            yield
    finally:
        post_migrate.disconnect(dispatch_uid=_CHAIN_HEAD_UID)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop in this thread, so Django's
    # async-safety check would refuse the ORM calls the tests make here (creating
    # the cast, flushing the database afterwards). Those calls really are
    # synchronous: allow them, and only while the browser is open.
    # That loop also gives this thread a different Django connection object from
    # the one it had before (asgiref's Local is per context), so the ledger's
    # trigger is set to be ignored only once Playwright has started.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright, flushable_ledger():
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                yield chromium
            finally:
                chromium.close()
                # Close this context's own connection, rather than leave it open.
                connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def server(live_server):
    """The live server's base URL, after checking it listens on the IPv4 loopback only."""
    host = live_server.thread.httpd.server_address[0]
    assert ipaddress.ip_address(host) == ipaddress.ip_address("127.0.0.1"), host
    return live_server.url


@pytest.fixture
def tab(browser, server, transactional_db):
    # The CSP stays enforced (no bypass_csp): every page is checked under the real policy.
    context = browser.new_context(base_url=server, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    try:
        yield Tab(context.new_page())
    finally:
        context.close()
