"""A WebDAV server that lists names with %2F and %5C in their hrefs (a real HTTP server on loopback
that answers with such a listing): they are listed for the importer as unusable, never read, never
turned into a path outside the inbox; `list` (what a push or a receipt scan sees) leaves them out."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest

from app.sync.errors import RefusalReason, UnusableFile
from app.sync.transport import INBOX, WebDavTransport

LISTING = b"""<?xml version="1.0" encoding="utf-8"?>
<d:multistatus xmlns:d="DAV:">
<d:response><d:href>/dav/inbox/</d:href><d:propstat><d:prop><d:resourcetype><d:collection/></d:resourcetype></d:prop></d:propstat></d:response>
<d:response><d:href>/dav/inbox/sub%2F..%2F..%2Fgeheim.wgw</d:href><d:propstat><d:prop><d:getcontentlength>10</d:getcontentlength><d:resourcetype/></d:prop></d:propstat></d:response>
<d:response><d:href>/dav/inbox/a%5Cb.wgw</d:href><d:propstat><d:prop><d:getcontentlength>11</d:getcontentlength><d:resourcetype/></d:prop></d:propstat></d:response>
<d:response><d:href>/dav/inbox/goed.wgw</d:href><d:propstat><d:prop><d:getcontentlength>12</d:getcontentlength><d:resourcetype/></d:prop></d:propstat></d:response>
</d:multistatus>"""


class _Quiet(WSGIRequestHandler):
    def get_environ(self) -> dict[str, str]:
        environ = super().get_environ()
        environ["RAW_PATH"] = self.path  # as sent, before the server decodes it
        return environ

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[tuple[str, str]]]]:
    requests: list[tuple[str, str]] = []

    def app(environ, start_response):  # type: ignore[no-untyped-def]
        method, raw = environ["REQUEST_METHOD"], environ["RAW_PATH"]
        requests.append((method, raw))
        if method == "PROPFIND":
            start_response("207 Multi-Status", [("Content-Type", "application/xml")])
            return [LISTING]
        if method == "DELETE":
            start_response("204 No Content", [])
            return [b""]
        start_response("404 Not Found", [])
        return [b""]

    httpd = make_server("127.0.0.1", 0, app, handler_class=_Quiet)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/dav/", requests
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_names_with_separators_are_listed_as_unusable_and_never_read(
    server: tuple[str, list[tuple[str, str]]],
) -> None:
    url, requests = server
    transport = WebDavTransport(url)
    assert transport.list(INBOX) == {"goed.wgw": 12}
    entries = transport.list_entries(INBOX)
    assert entries == {"sub/../../geheim.wgw": 10, "a\\b.wgw": 11, "goed.wgw": 12}
    for name in ("sub/../../geheim.wgw", "a\\b.wgw"):
        with pytest.raises(UnusableFile) as refused:
            transport.read(INBOX, name)
        assert refused.value.reason is RefusalReason.BAD_NAME
    assert not [r for r in requests if r[0] == "GET"]  # nothing was asked for
    transport.delete(INBOX, "a\\b.wgw")
    transport.delete(INBOX, "sub/../../geheim.wgw")
    deletes = [path for method, path in requests if method == "DELETE"]
    # Each by the server's own one-segment name inside the inbox, never a path that climbs out.
    assert deletes == ["/dav/inbox/a%5Cb.wgw", "/dav/inbox/sub%2F..%2F..%2Fgeheim.wgw"]
