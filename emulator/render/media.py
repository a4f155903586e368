"""Render the vault: media with their counters and folders, and vault lists with their counts and tiles."""
from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import quote

from ..domain import vault
from ..domain.models import Creator, VaultFolder, VaultMedia
from .messages import media_item

TILES = 4


def vault_media(media: VaultMedia, creator: Creator, seed: int, now: float) -> dict[str, Any]:
    """One vault item: OnlyFans' media object plus counters, its folders under both vendors' names
    (OFAuth's ``lists``, OnlyFansAPI's ``listStates``), and whether processing has finished."""
    likes, tips = vault.counters(seed, media)
    holding = {folder.id for folder in vault.folders_of(creator, media.id)}
    return {
        **media_item(media),
        "isReady": now >= media.ready_at and not media.has_error,
        "hasError": media.has_error,
        "counters": {"likesCount": likes, "tipsSumm": tips},
        "hasPosts": False,
        "lists": [{"id": folder.id, "type": folder.type, "name": folder.name}
                  for folder in creator.vault_lists.values() if folder.id in holding],
        "listStates": [{"id": folder.id, "type": folder.type, "name": folder.name, "hasMedia": folder.id in holding,
                        "canAddMedia": folder.type == "custom"} for folder in creator.vault_lists.values()],
    }


def tiles(creator: Creator, media_ids: Any) -> list[dict[str, Any]]:
    """A few thumbnails of a folder's newest media."""
    shown = []
    for media_id in reversed(list(media_ids)):
        media = creator.vault.get(media_id)
        if media is not None:
            thumb = media.files.get("thumb") or media.files["full"]
            shown.append({"type": media.type, "url": thumb["url"]})
        if len(shown) == TILES:
            break
    return shown


def folder_counts(counts: dict[str, int]) -> dict[str, int]:
    """Counts per type under OnlyFans' names."""
    return {"videosCount": counts["video"], "photosCount": counts["photo"], "gifsCount": counts["gif"],
            "audiosCount": counts["audio"]}


def vault_list(folder: VaultFolder, creator: Creator) -> dict[str, Any]:
    """A vault list (folder): OFAuth's fields plus OnlyFansAPI's counts per type."""
    custom = folder.type == "custom"
    return {"id": folder.id, "type": folder.type, "name": folder.name, "hasMedia": bool(folder.media),
            "canUpdate": custom, "canDelete": custom,
            **folder_counts(vault.type_counts(creator, folder.media)), "medias": tiles(creator, folder.media)}


def vault_list_light(folder: VaultFolder) -> dict[str, Any]:
    """OnlyFansAPI's ``lightweight=true`` folder: no tiles, one rolled-up count."""
    return {"id": folder.id, "name": folder.name, "type": folder.type, "canUpdate": folder.type == "custom",
            "mediaCount": len(folder.media)}


def vault_totals(creator: Creator) -> dict[str, Any]:
    """The ``all`` block: counts over the whole vault and its newest tiles."""
    return {**folder_counts(vault.type_counts(creator)), "medias": tiles(creator, creator.vault)}


def cdn_upload(upload_id: str, filename: str, media: VaultMedia, creator: Creator) -> dict[str, Any]:
    """OnlyFansAPI's answer to ``/media/upload``: where the file sits on OnlyFans' converter, drawn from its id."""
    token = hashlib.sha256(upload_id.encode()).hexdigest()
    thumb = media.files.get("thumb") or media.files["full"]
    return {
        "prefixed_id": upload_id, "file_name": filename, "processId": token[:20], "host": "convert3.onlyfans.com",
        "sourceUrl": f"https://of2transcoder.s3.amazonaws.com/upload/{token[20:56]}/{creator.id}/{quote(filename)}",
        "extra": token * 2, "additional": {"user": str(creator.id)}, "thumbs": [{"id": 1, "url": thumb["url"]}],
        "note": "Maximum file size is 1 GB. Need higher limits? Contact us for enterprise options.",
    }
