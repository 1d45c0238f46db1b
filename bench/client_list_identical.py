"""The therapist's client list (page and API, English and Korean) for the data set of
``bench_dashboard_load`` (200 clients, each with a year of diary): written to a file or
compared with one byte for byte, the CPU time per request in process, or a profile.

Run it once on the old code and once on the new against the same seeded database (old code:
``git archive <commit> | tar -x -C /tmp/old`` and ``PYTHONPATH=/tmp/old/src``)::

    .venv/bin/python bench/client_list_identical.py seed --url URL
    .venv/bin/python bench/client_list_identical.py vary --url URL  # optional: a various list
    PYTHONPATH=/tmp/old/src .venv/bin/python bench/client_list_identical.py write --url URL old.json
    .venv/bin/python bench/client_list_identical.py compare --url URL old.json
    .venv/bin/python bench/client_list_identical.py time --url URL [--rounds 40]
    .venv/bin/python bench/client_list_identical.py profile --url URL [--rounds 20]

The app runs in this process on one thread (``anyio.to_thread.run_sync`` inline), so that the
CPU time and the profile hold the whole request. The page's CSRF token (new with every sign-in)
is masked before comparing.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import anyio.to_thread
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_web import PASSWORD  # noqa: E402
from sciatica_care.config import Settings  # noqa: E402
from sciatica_care.web.app import create_app  # noqa: E402

T = TypeVar("T")


def _state(url: str) -> Path:
    """Where the seeded therapist's email and token are kept for the database at ``url``."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", url.rsplit("/", 1)[-1])
    return Path(tempfile.gettempdir()) / f"client_list_identical-{name}.json"


#: What is fetched: (name, path, how signed in, Accept-Language).
TARGETS = (
    ("page en", "/therapist/clients", "cookie", "en"),
    ("page ko", "/therapist/clients", "cookie", "ko"),
    ("api en", "/api/v1/therapist/clients", "bearer", "en"),
    ("api ko", "/api/v1/therapist/clients", "bearer", "ko"),
)
CSRF = re.compile(rb'(name="csrftoken" value=")[^"]*"')


async def _inline(func: Callable[..., T], *args: Any, **_: Any) -> T:
    return func(*args)


def _settings(url: str, data_dir: Path) -> Settings:
    return Settings(
        environment="test",
        database_url=url,
        data_dir=data_dir,
        secret_key="bench secret key that is long enough 0123456789",  # type: ignore[arg-type]
        migrate_on_start=False,
    )


def seed(url: str, clients: int) -> None:
    """A clean database with the benchmark's therapist and clients (as bench_dashboard_load)."""
    from tests.integration.databases import ensure_postgres_database, reset_postgres

    from bench_dashboard_load import seed_clients

    if url.startswith("postgresql"):
        ensure_postgres_database(url)
        reset_postgres(url)
    email, token = seed_clients(url, clients=clients)
    _state(url).write_text(json.dumps({"url": url, "email": email, "token": token}))
    print(f"seeded {clients} clients; therapist {email}")


#: The answers of the newer assessments :func:`vary` adds (on top of bench_web's ASSESSMENT).
VARIANTS: tuple[dict[str, Any], ...] = (
    {"side": "both"},
    {"areas": ["calf_back", "thigh_back"], "area_sides": {"calf_back": "right"}},
    {"conditions": ["anticoagulants", "varicose_veins"], "leg_pain": 9},
    {"red_flags": ["progressive_weakness"], "conditions": ["dvt_history"]},
    {"conditions": ["peripheral_neuropathy"], "areas": ["toes", "heel"], "side": "both"},
    {"areas": ["foot_sole"], "area_sides": {"foot_sole": "both"}, "back_pain": 0},
)


def vary(url: str) -> None:
    """The seeded list made various, as a clinic's is: newer assessments with both legs, things
    to avoid and holds; booked sessions; narrower consents; clients without a name or with
    markup in it; clients whose diary is empty; the therapist in another zone."""
    from sqlalchemy import delete, select, update

    from bench_web import ASSESSMENT
    from sciatica_care.db.engine import Database
    from sciatica_care.db.tables import DiaryEntry, Share, User, utcnow
    from sciatica_care.domain.assessment import parse_assessment
    from sciatica_care.services.accounts import actor_for
    from sciatica_care.services.assessments import run_assessment

    state = json.loads(_state(url).read_text())
    database = Database(url)
    now = utcnow()
    with database.session() as db:
        therapist = db.scalars(select(User).where(User.email == state["email"])).one()
        therapist.time_zone = "Asia/Seoul"
        shares = db.scalars(select(Share).where(Share.therapist_id == therapist.id)).all()
        for n, share in enumerate(sorted(shares, key=lambda s: s.client_id)):
            client = db.get(User, (share.clinic_id, share.client_id))
            assert client is not None
            if n % 3 == 0:
                answers = {**ASSESSMENT, **VARIANTS[(n // 3) % len(VARIANTS)]}
                run_assessment(db, actor=actor_for(client), assessment=parse_assessment(answers))
            if n % 5 == 0:
                share.next_session_at = now + timedelta(hours=n, minutes=7 * n)
            share.scopes = [
                ["assessments"],
                ["diary"],
                ["diary", "notes"],
                ["assessments", "notes"],
                ["assessments", "diary", "notes"],
            ][n % 5 if n % 4 == 0 else 4]
            if n % 9 == 0:
                client.display_name = "" if n % 2 else 'O\'Brien <b>&</b> "Co"'
            if n % 17 == 0:
                db.execute(delete(DiaryEntry).where(DiaryEntry.user_id == client.id))
        db.execute(update(User).values(diary_version=User.diary_version + 1))
        db.commit()
    database.dispose()
    print(f"varied {len(shares)} clients")


async def _with_app(
    url: str, work: Callable[[Callable[[str], Awaitable[bytes]]], Awaitable[T]]
) -> T:
    state = json.loads(_state(url).read_text())
    if state["url"] != url:
        raise SystemExit(f"{url} was not seeded by this script (seed it first)")
    anyio.to_thread.run_sync = _inline  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(_settings(url, Path(tmp)))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            login = await http.post(
                "/api/v1/auth/login", json={"email": state["email"], "password": PASSWORD}
            )
            login.raise_for_status()

            async def get(name: str) -> bytes:
                _, path, auth, language = next(t for t in TARGETS if t[0] == name)
                headers = {"Accept-Language": language, "Accept-Encoding": "identity"}
                if auth == "bearer":
                    headers["Authorization"] = f"Bearer {state['token']}"
                    response = await http.get(path, headers=headers, cookies={})
                else:
                    response = await http.get(path, headers=headers)
                response.raise_for_status()
                return response.content

            try:
                return await work(get)
            finally:
                app.state.database.dispose()


def _masked(body: bytes) -> bytes:
    return CSRF.sub(rb'\1CSRF"', body)


async def _bodies(get: Callable[[str], Awaitable[bytes]]) -> dict[str, str]:
    await get("page en")  # the first view keeps each trend read-out; the second uses them
    return {name: _masked(await get(name)).decode() for name, *_ in TARGETS}


def write(url: str, out: Path) -> None:
    bodies = asyncio.run(_with_app(url, _bodies))
    out.write_text(json.dumps(bodies, ensure_ascii=False, indent=0))
    print(f"wrote {', '.join(f'{k}: {len(v)} chars' for k, v in bodies.items())} to {out}")


def compare(url: str, before: Path) -> int:
    old = json.loads(before.read_text())
    new = asyncio.run(_with_app(url, _bodies))
    differ = [name for name in new if new[name] != old.get(name)]
    for name in new:
        same = "identical" if name not in differ else "DIFFERENT"
        print(f"{name}: {len(new[name])} chars, {same}")
    for name in differ:
        a, b = old.get(name, ""), new[name]
        at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
        print(f"  {name} first differs at {at}:")
        print(f"  old {a[at - 80 : at + 80]!r}\n  new {b[at - 80 : at + 80]!r}")
    return 1 if differ else 0


def timing(url: str, rounds: int, only: str | None = None) -> None:
    """CPU and wall time per request of the English page and API (or ``only`` one target),
    after three to warm up."""

    async def work(get: Callable[[str], Awaitable[bytes]]) -> None:
        for name in [only] if only else [t[0] for t in TARGETS[::2]]:
            for _ in range(3):
                await get(name)
            cpu, wall = [], []
            for _ in range(rounds):
                c, w = time.process_time(), time.perf_counter()
                await get(name)
                cpu.append((time.process_time() - c) * 1000)
                wall.append((time.perf_counter() - w) * 1000)
            cpu.sort()
            print(
                f"{name}: CPU per request median {statistics.median(cpu):.1f} ms "
                f"(fastest {cpu[0]:.1f}); wall median {statistics.median(wall):.1f} ms "
                f"({rounds} requests)"
            )

    asyncio.run(_with_app(url, work))


def profile(url: str, rounds: int, name: str, top: int) -> None:
    async def work(get: Callable[[str], Awaitable[bytes]]) -> None:
        for _ in range(3):
            await get(name)
        try:
            from pyinstrument import Profiler  # not a dependency: pip install it to use it
        except ImportError:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(rounds):
                await get(name)
            profiler.disable()
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(top)
            stats.sort_stats("tottime").print_stats(top)
            return
        sampler = Profiler(interval=0.001)
        sampler.start()
        for _ in range(rounds):
            await get(name)
        sampler.stop()
        print(sampler.output_text(unicode=False, color=False, show_all=False))

    asyncio.run(_with_app(url, work))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["seed", "vary", "write", "compare", "time", "profile"])
    parser.add_argument("file", nargs="?", type=Path)
    parser.add_argument("--url", required=True)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--target", default="page en", help="what to profile")
    parser.add_argument("--only", choices=[t[0] for t in TARGETS], help="time this one only")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_intermixed_args()
    if args.command == "seed":
        seed(args.url, args.clients)
    elif args.command == "vary":
        vary(args.url)
    elif args.command == "write":
        write(args.url, args.file)
    elif args.command == "compare":
        raise SystemExit(compare(args.url, args.file))
    elif args.command == "time":
        timing(args.url, args.rounds, args.only)
    else:
        profile(args.url, args.rounds, args.target, args.top)


if __name__ == "__main__":
    main()
