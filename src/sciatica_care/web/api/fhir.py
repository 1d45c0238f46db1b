"""The FHIR R4 export over the API: the signed-in person's record, or (for a therapist) what a
client's consent covers, as a FHIR ``Bundle`` of type ``collection`` (a download)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from sciatica_care.reports import fhir
from sciatica_care.services import fhir_export
from sciatica_care.web.api.therapists import ERRORS
from sciatica_care.web.auth import SignedInUser, UnitOfWork

router = APIRouter(tags=["data rights"])

FHIR_RESPONSE: dict[int | str, dict[str, Any]] = {**ERRORS, 200: {"content": {fhir.FHIR_JSON: {}}}}


def fhir_download(text: str, filename: str = fhir.FILENAME) -> Response:
    """A FHIR JSON document as a download that is not cached."""
    return Response(
        content=text.encode(),
        media_type=fhir.FHIR_JSON,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/export/fhir", responses=FHIR_RESPONSE, response_class=Response)
def export_fhir(actor: SignedInUser, db: UnitOfWork) -> Response:
    """Your record as a FHIR R4 Bundle (type collection) for another health system: Patient,
    Condition (sciatica), pain Observations, questionnaire responses (SBI, PSFS, global rating
    of change) with their Questionnaires, massage sessions as Procedures, medicines."""
    return fhir_download(fhir_export.own_bundle(db, actor=actor))


@router.get(
    "/therapist/clients/{client_id}/fhir",
    tags=["workspace"],
    responses=FHIR_RESPONSE,
    response_class=Response,
)
def client_fhir(client_id: str, actor: SignedInUser, db: UnitOfWork) -> Response:
    """A client's record as a FHIR R4 Bundle, as far as their consent to you goes (therapists
    only)."""
    text = fhir_export.shared_bundle(db, actor=actor, client_id=client_id)
    return fhir_download(text, f"client-{client_id}-fhir.json")
