"""HTML to PDF with WeasyPrint, imported only when a PDF is made.

WeasyPrint needs Pango (Debian: ``libpango-1.0-0 libpangoft2-1.0-0``) and fonts
(``fonts-dejavu-core``; ``fonts-nanum`` for Korean names). Without them the rest of the app
runs, and asking for a PDF answers :class:`PdfUnavailable` (503) with what is missing.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sciatica_care.services.errors import ServiceError

log = logging.getLogger(__name__)


class PdfUnavailable(ServiceError):
    """This installation cannot make PDFs (WeasyPrint or Pango is missing)."""

    status = 503

    def __init__(self) -> None:
        super().__init__(
            "PDF reports are not available on this server: WeasyPrint and Pango are not "
            "installed (Debian: libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-nanum)"
        )


def _weasyprint() -> Any:
    try:
        import weasyprint  # type: ignore[import-untyped]
    except (ImportError, OSError) as exc:  # OSError: the Python package without Pango
        log.warning("PDF unavailable: %s", type(exc).__name__)
        raise PdfUnavailable() from None
    return weasyprint


def available() -> bool:
    """Whether PDFs can be made here."""
    try:
        _weasyprint()
    except PdfUnavailable:
        return False
    return True


def html_to_pdf(
    html: str, *, stylesheets: tuple[Path, ...] = (), css: tuple[str, ...] = (), title: str = ""
) -> bytes:
    """The PDF of ``html`` (a whole document) with ``stylesheets`` (files) and then ``css``
    (texts: the running header and footer in the report's language) applied. Nothing is fetched
    from the network: a URL the document names that is not a ``data:`` URL is refused."""
    weasyprint = _weasyprint()

    def no_fetching(url: str, *args: Any, **kwargs: Any) -> Any:
        if url.startswith("data:"):
            return weasyprint.default_url_fetcher(url, *args, **kwargs)
        raise ValueError("the report fetches nothing")

    document = weasyprint.HTML(string=html, url_fetcher=no_fetching)
    sheets = [weasyprint.CSS(filename=str(path)) for path in stylesheets]
    sheets += [weasyprint.CSS(string=text) for text in css]
    pdf: bytes = document.write_pdf(stylesheets=sheets)
    return pdf
