"""A creator's vault: media in folders (vault lists), with the counters and searches both vendors list them by."""
from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from itertools import count
from typing import Any

from .errors import MediaNotFound
from .models import MEDIA_TYPES, Creator, VaultFolder, VaultMedia

BUILT_IN_FOLDERS = (("messages", "Messages"), ("posts", "Posts"), ("stories", "Stories"), ("streams", "Streams"),
                    ("media_stickers", "Uploads"))
SORTS = ("recent", "oldest", "most_liked", "highest_tips")
CDN_ONLY = "cdn"  # OnlyFansAPI's uploads are not in the vault until a message carries them
MAX_VAULT = 10_000  # media one creator's vault keeps from uploads in a session (about 3 KB each); more are refused


def add_folders(creator: Creator, custom: Iterable[dict[str, Any]], ids: Iterator[int]) -> None:
    """Give a creator the built-in folders and the fixture's own ones (``{name, media}``), ids from ``ids``."""
    for folder_type, name in BUILT_IN_FOLDERS:
        folder = VaultFolder(next(ids), folder_type, name)
        creator.vault_lists[folder.id] = folder
    for entry in custom:
        folder = VaultFolder(next(ids), "custom", entry["name"], dict.fromkeys(entry["media"]))
        creator.vault_lists[folder.id] = folder


def file_into(creator: Creator, folder_type: str, media_ids: Iterable[int]) -> None:
    """Put media into the creator's built-in folder of that type (media sent in messages, uploads)."""
    for folder in creator.vault_lists.values():
        if folder.type == folder_type:
            folder.media.update(dict.fromkeys(media_ids))
            return


def add_media(creator: Creator, media: VaultMedia, folder_type: str) -> None:
    """Store a new vault item and file it."""
    creator.vault[media.id] = media
    file_into(creator, folder_type, (media.id,))


def counters(seed: int, media: VaultMedia) -> tuple[int, int]:
    """A media item's likes and tips in dollars, drawn from the seed and its id alone."""
    rng = random.Random(f"{seed}:media-counters:{media.id}")
    likes = rng.randint(0, 400)
    return likes, rng.choice((0, 0, 0, 5, 10, 25, 50)) * (1 + likes // 200)


def folders_of(creator: Creator, media_id: int) -> list[VaultFolder]:
    """The folders holding a media item."""
    return [folder for folder in creator.vault_lists.values() if media_id in folder.media]


def folder(creator: Creator, folder_id: int | None) -> VaultFolder:
    """The creator's folder with that id, or MediaNotFound."""
    found = creator.vault_lists.get(folder_id) if folder_id is not None else None
    if found is None:
        raise MediaNotFound(f"Vault list {folder_id} not found.")
    return found


def search(creator: Creator, seed: int, media_type: str | None = None, folder_id: int | None = None,
           text: str | None = None, sort: str = "recent") -> list[VaultMedia]:
    """The creator's vault media matching the filters (``text`` searches file names), in ``sort`` order."""
    media: Iterable[VaultMedia] = creator.vault.values()
    if folder_id is not None:
        chosen = creator.vault_lists.get(folder_id)
        media = [creator.vault[media_id] for media_id in (chosen.media if chosen else ()) if media_id in creator.vault]
    media = [item for item in media if item.source != CDN_ONLY]
    if media_type is not None:
        media = [item for item in media if item.type == media_type]
    if text:
        needle = text.casefold()
        media = [item for item in media if needle in (item.filename or "").casefold()]
    if sort in ("most_liked", "highest_tips"):
        index = 0 if sort == "most_liked" else 1
        return sorted(media, key=lambda item: (-counters(seed, item)[index], -item.id))
    return sorted(media, key=lambda item: (item.created_at, item.id), reverse=sort == "recent")


def matching_folders(creator: Creator, text: str | None) -> list[VaultFolder]:
    """The creator's folders, built-in first, whose name contains ``text``."""
    needle = (text or "").casefold()
    return [folder for folder in creator.vault_lists.values() if needle in folder.name.casefold()]


def type_counts(creator: Creator, media_ids: Iterable[int] | None = None) -> dict[str, int]:
    """How many photos, videos, gifs and audios the vault (or those ``media_ids``) holds."""
    counts = dict.fromkeys(MEDIA_TYPES, 0)
    for media_id in creator.vault if media_ids is None else media_ids:
        media = creator.vault.get(media_id)
        if media is not None and media.source != CDN_ONLY:
            counts[media.type] += 1
    return counts


def folder_ids(first: int) -> Iterator[int]:
    """Vault list ids for a world, allocated upwards from ``first``."""
    return count(first)
