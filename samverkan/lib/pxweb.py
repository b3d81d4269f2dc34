"""A small client for SCB's PxWebApi 2 (the Statistikdatabasen API), without Django.

It asks for TAB638 "Folkmängd" (content code BE0101N1) of some
municipalities at 31 December of one year, as json-stat2, with one GET:

    /tables/TAB638/data?lang=sv&outputFormat=json-stat2
        &valueCodes[Region]=0127,0136&valueCodes[ContentsCode]=BE0101N1&valueCodes[Tid]=2024

The variables that can be eliminated (civilstånd, ålder, kön) are left out,
so SCB answers with the totals. SCB's limits are about 150 000 cells a call
and 30 calls per 10 seconds: the client refuses a selection over the cell
limit and keeps at least a third of a second between its calls.

The HTTP layer is urllib's opener: tests give the client an opener whose
HTTPS handler serves recorded responses, so they never go online.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from samverkan.lib.scb import CONTENTS_CODE, TABLE

BASE_URL = "https://statistikdatabasen.scb.se/api/v2"
MAX_CELLS = 150_000
MIN_INTERVAL = 10 / 30  # seconds between calls: 30 calls per 10 s
TIMEOUT = 30
USER_AGENT = "samverkan (population import; https://statistikdatabasen.scb.se)"


class PxWebError(Exception):
    """The API could not be reached or refused the request; `status` is the HTTP status if there was one."""

    def __init__(self, message: str, *, status: int | None = None, url: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.url = url


@dataclass(frozen=True, slots=True)
class Response:
    url: str
    body: bytes


def data_url(
    base_url: str,
    table: str,
    selection: dict[str, Sequence[str]],
    *,
    lang: str = "sv",
    output_format: str = "json-stat2",
) -> str:
    """The GET address of a selection: valueCodes[VAR]=a,b for every variable."""
    params = [("lang", lang), ("outputFormat", output_format)]
    params += [
        (f"valueCodes[{variable}]", ",".join(codes)) for variable, codes in selection.items()
    ]
    return f"{base_url}/tables/{table}/data?{urllib.parse.urlencode(params, safe=',[]')}"


class Client:
    def __init__(
        self,
        *,
        base_url: str = BASE_URL,
        opener: urllib.request.OpenerDirector | None = None,
        timeout: float = TIMEOUT,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.opener = opener or urllib.request.build_opener()
        self.timeout = timeout
        self._clock = clock
        self._sleep = sleep
        self._last_call: float | None = None

    def population(self, codes: Sequence[str], year: int) -> Response:
        """TAB638's population at 31 December `year` of the municipalities `codes`, as json-stat2."""
        if not codes:
            raise PxWebError("no municipality codes to ask for")
        cells = len(codes)
        if cells > MAX_CELLS:
            raise PxWebError(f"{cells} cells is over SCB's limit of {MAX_CELLS} a call")
        url = data_url(
            self.base_url,
            TABLE,
            {
                "Region": list(codes),
                "ContentsCode": [CONTENTS_CODE],
                "Tid": [str(year)],
            },
        )
        return Response(url=url, body=self.get(url))

    def get(self, url: str) -> bytes:
        self._throttle()
        request = urllib.request.Request(
            url, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
        )
        try:
            with self.opener.open(request, timeout=self.timeout) as answer:
                body: bytes = answer.read()
                return body
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace").strip()
            raise PxWebError(
                f"SCB answered {exc.code} {exc.reason}: {detail}", status=exc.code, url=url
            ) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise PxWebError(f"SCB could not be reached: {reason}", url=url) from exc

    def _throttle(self) -> None:
        now = self._clock()
        if self._last_call is not None and now - self._last_call < MIN_INTERVAL:
            self._sleep(MIN_INTERVAL - (now - self._last_call))
        self._last_call = self._clock()
