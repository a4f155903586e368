"""Realistic filler from Faker, seeded per entity so a value never depends on request order."""
from __future__ import annotations

import bisect
import functools
import hashlib
import threading
from datetime import UTC, datetime
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from .models import VaultMedia

if TYPE_CHECKING:
    from faker import Faker

CDN = "https://cdn2.onlyfans.com/files"
VAULT_EPOCH = (datetime(2024, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC))
EXTENSIONS = {"photo": "jpg", "video": "mp4", "gif": "mp4", "audio": "mp3"}
FILE_PREFIXES = {"photo": "IMG", "video": "VID", "gif": "GIF", "audio": "AUD"}
FILE_EXTENSIONS = {"photo": "jpg", "video": "mov", "gif": "gif", "audio": "m4a"}
SHAPES = ((1080, 1350), (1080, 1920), (1920, 1080), (1440, 1440), (1200, 1600))
Weighted = tuple[list[str], list[float]]  # names, and their cumulative weights
# People drawn and kept for the whole process, every session's Fakes sharing them (a draw depends on the seed
# and the id alone): a page shown again costs no hashing, and memory stays bounded (about 560 bytes a person)
# however many sessions, creators or fans there are.
ID_ENDINGS = 1000  # a seeded username ends with its id modulo this (domain.profiles reads it back)
PEOPLE_KEPT = 4096


class Fakes:
    """Seeded Faker wrapper: each entity gets values drawn from ``(seed, kind, id)`` alone.

    Faker is imported and built when the first value is drawn, not before: every draw reseeds it, so what it
    draws does not depend on when it was built.
    """

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._faker: Faker | None = None
        self._lock = threading.Lock()  # Faker is reseeded per draw: one draw at a time
        self._named: dict[int, dict[str, str]] = {}

    def _seeded(self, kind: str, key: object) -> Faker:
        """The Faker instance (built on first use), seeded for one entity; call with the lock held."""
        if self._faker is None:
            from faker import Faker

            self._faker = Faker("en_US")
        self._faker.seed_instance(f"{self.seed}:{kind}:{key}")
        return self._faker

    def person(self, user_id: int) -> dict[str, str]:
        """Return a display name, a username and an avatar URL for an OnlyFans user (shared: do not change it).

        A fixture's name wins; anyone else is drawn from the seed and the id (``drawn_person``).
        """
        named = self._named.get(user_id)
        return named if named is not None else drawn_person(self.seed, user_id)

    def name(self, user_id: int, name: str | None, username: str | None) -> None:
        """Give a person a fixture's name and username (either may be left to the seed)."""
        drawn = drawn_person(self.seed, user_id)
        self._named[user_id] = {**drawn, "name": name or drawn["name"], "username": username or drawn["username"]}

    def vault_media(self, media_id: int, media_type: str, duration: int | None = None,
                    created_at: str | None = None, source: str = "vault") -> VaultMedia:
        """Build a vault item with realistic URLs, dimensions and sizes."""
        with self._lock:
            fake = self._seeded("media", media_id)
            digest = fake.md5()
            width, height = fake.random_element(SHAPES)
            size = fake.random_int(180_000, 4_500_000)
            created = created_at or fake.date_time_between(*VAULT_EPOCH, tzinfo=UTC).isoformat(timespec="seconds")
            if media_type in ("video", "audio") and duration is None:
                duration = fake.random_int(8, 600)
            filename = f"{FILE_PREFIXES[media_type]}_{fake.random_int(1000, 9999)}.{FILE_EXTENSIONS[media_type]}"
        return VaultMedia(
            id=media_id,
            type=media_type,
            created_at=created,
            files=_files(digest, media_type, width, height, size),
            duration=duration if media_type in ("video", "audio") else None,
            video_sources=_video_sources(digest) if media_type in ("video", "gif") else None,
            source=source,
            filename=filename,
        )


@functools.lru_cache(maxsize=PEOPLE_KEPT, typed=True)  # typed: 1 and 1.0 (or True) are drawn from different text
def drawn_person(seed: int, user_id: int) -> dict[str, str]:
    """The person the seed gives an OnlyFans user id: a name, a username and an avatar URL (shared: do not
    change it).

    Picked from Faker's name lists by a hash of the seed and the id (no reseeding), so a page of 100 fans
    costs well under a millisecond even when none of them is kept.
    """
    digest = hashlib.blake2b(f"{seed}:person:{user_id}".encode(), digest_size=32).digest()
    first_names, last_names = _name_lists()
    first, last = _pick(first_names, digest[:8]), _pick(last_names, digest[8:16])
    hexed = digest[16:].hex()
    username = f"{first}{last[:1]}{user_id % ID_ENDINGS}".lower()
    avatar = f"https://public.onlyfans.com/files/{hexed[0]}/{hexed[:2]}/{hexed}/avatar.jpg"
    return {"name": f"{first} {last}", "username": username, "avatar": avatar}


@functools.cache
def _name_lists() -> tuple[Weighted, Weighted]:
    """Faker's en_US first and last names with their weights, taken once a process (under a millisecond)."""
    from faker import Faker

    names = next(provider for provider in Faker("en_US").providers if hasattr(provider, "first_names"))
    return _weighted(names.first_names), _weighted(names.last_names)


def _weighted(names: dict[str, float] | list[str] | tuple[str, ...]) -> Weighted:
    """Names with their cumulative weights (Faker's lists are weighted dicts or plain sequences)."""
    pairs = list(names.items()) if isinstance(names, dict) else [(name, 1.0) for name in names]
    return [name for name, _ in pairs], list(accumulate(weight for _, weight in pairs))


def _pick(names: Weighted, key: bytes) -> str:
    """The name a 64-bit key lands on, by weight."""
    labels, bounds = names
    return labels[min(len(labels) - 1, bisect.bisect_right(bounds, int.from_bytes(key, "big") / 2**64 * bounds[-1]))]


def _url(digest: str, width: int, height: int, extension: str) -> str:
    return f"{CDN}/{digest[0]}/{digest[:2]}/{digest}/{width}x{height}_{digest}.{extension}"


def _files(digest: str, media_type: str, width: int, height: int, size: int) -> dict[str, Any]:
    """Render the ``files`` block of a media item: full, thumb, preview and squarePreview."""
    extension = EXTENSIONS[media_type]
    if media_type == "audio":
        return {"full": {"url": _url(digest, 0, 0, extension), "size": size, "sources": []}}
    full_url = _url(digest, width, height, extension)
    preview_w, preview_h = 960, int(960 * height / width)
    return {
        "full": {"url": full_url, "width": width, "height": height, "size": size,
                 "sources": [{"url": full_url, "width": width, "height": height, "type": "original"}]},
        "thumb": {"url": _url(digest, 300, 300, "jpg"), "width": 300, "height": 300, "size": size // 40},
        "preview": {"url": _url(digest, preview_w, preview_h, "jpg"), "width": preview_w,
                    "height": preview_h, "size": size // 6, "options": []},
        "squarePreview": {"url": _url(digest, 480, 480, "jpg"), "width": 480, "height": 480,
                          "size": size // 12},
    }


def _video_sources(digest: str) -> dict[str, str | None]:
    return {quality: f"{CDN}/{digest[0]}/{digest[:2]}/{digest}/{quality}p_{digest}.mp4"
            for quality in ("240", "720")}
