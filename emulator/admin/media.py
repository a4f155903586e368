"""The dashboard's media view: each creator's vault by type and folder, its uploads as they process, and the
session's vendor events."""
from __future__ import annotations

from typing import Any

from flask import Response

from ..domain import vault
from ..domain.clock import format_instant
from ..domain.models import Creator
from ..harness.session import Session
from ..http.context import current_session
from ..http.web import json_response
from .dashboard import api

UPLOADS_SHOWN = 20  # the newest uploads per creator


@api.get("/media")
def show_media() -> Response:
    """Vaults, uploads with their processing state, and vendor events, as of the session's clock."""
    session = current_session()
    with session.lock:
        now = session.clock.now()
        session.events.settle(session.world, now)
        creators = [creator_media(session, creator, now) for creator in session.world.creators.values()]
        events = [{**event.describe(), "at": format_instant(event.at)} for event in session.events.items]
    return json_response({"creators": creators, "events": events})


def creator_media(session: Session, creator: Creator, now: float) -> dict[str, Any]:
    """One creator's vault counts, folders and newest uploads."""
    uploads = session.world.uploads
    mine = [upload for upload in uploads.items.values() if upload.creator_id == creator.id][-UPLOADS_SHOWN:]
    return {
        "id": creator.id, "name": creator.name, "vault": vault.type_counts(creator),
        "folders": [{"id": folder.id, "name": folder.name, "type": folder.type, "count": len(folder.media)}
                    for folder in creator.vault_lists.values()],
        "uploads": [{"id": upload.id, "filename": upload.filename, "type": upload.media_type, "size": upload.size,
                     "parts": f"{len(upload.parts)}/{upload.total_parts}", "mediaId": upload.media_id,
                     "stage": uploads.stage(creator, upload, now)} for upload in reversed(mine)],
    }
