"""nginx in front of N Streamlit replicas of the dashboard, on this machine: `./dev serve`.

    ./dev serve [--replicas N] [--port 8080] [--listen 0.0.0.0] [--state-dir .deploy]

1. Copies Streamlit's frontend files and the app's static/ into the state dir, with a gzip
   file beside each (once per Streamlit version and static/ content).
2. Starts N `streamlit run app.py` on free loopback ports and waits for each one's
   /_stcore/health.
3. Writes the state dir's nginx.conf from deploy/nginx.conf.in, checks it with `nginx -t`,
   starts nginx in the foreground and waits until the page answers through it.
4. Watches: a replica that exits is started again on its port (its sessions are lost; the
   browsers reconnect and start afresh); Ctrl-C, SIGTERM or SIGHUP stops nginx and every
   replica, and so does nginx exiting.

It installs nothing: what is missing is named with the command that installs it. Only the
standard library and Streamlit (for its frontend files) are used.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import fcntl
import gzip
import hashlib
import importlib.util
import os
import resource
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("nginx.conf.in")
COOKIE = "routes_dash_replica"
# Files worth compressing; fonts (woff2) and images are compressed already.
COMPRESSIBLE = {".html", ".js", ".mjs", ".css", ".json", ".map", ".geojson", ".svg", ".txt",
                ".md", ".ttf", ".wasm", ".ico"}
STARTUP_TIMEOUT = 180.0  # a busy 2-core machine can take a while to import pandas and plotly

stopping = threading.Event()


class ServeError(Exception):
    """Something the user can fix; the message says what."""


def say(message: str) -> None:
    print(f"serve: {message}", file=sys.stderr, flush=True)


# --- what must be there ------------------------------------------------------------------------


def find_nginx() -> str:
    """$NGINX if set, else nginx on PATH or in /usr/sbin."""
    if "NGINX" in os.environ:
        found = os.environ["NGINX"] if os.access(os.environ["NGINX"], os.X_OK) else None
    else:
        found = shutil.which("nginx") or next(
            (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx")
             if os.access(p, os.X_OK)), None)
    if not found:
        raise ServeError(
            "nginx is needed and was not found ($NGINX, PATH, /usr/sbin).\n"
            "  Debian/Ubuntu: sudo apt-get install nginx\n"
            "  (the package also starts a system-wide nginx on port 80; `sudo systemctl "
            "disable --now nginx`\n  stops that one: ./dev serve runs its own nginx "
            "from its state dir, on its own port)")
    version = subprocess.run([found, "-V"], capture_output=True, text=True, check=False).stderr
    missing = [m for m in ("http_gzip_static_module", "http_gunzip_module") if m not in version]
    if missing:
        raise ServeError(f"{found} was built without {', '.join(missing)}; Debian's nginx "
                         "package has them (sudo apt-get install nginx)")
    return found


def streamlit_static() -> Path:
    spec = importlib.util.find_spec("streamlit")
    if spec is None or spec.origin is None:
        raise ServeError("Streamlit is not installed for this Python "
                         f"({sys.executable}); ./dev serve installs it into .venv")
    folder = Path(spec.origin).parent / "static"
    if not (folder / "index.html").is_file():
        raise ServeError(f"Streamlit's frontend files are missing from {folder}")
    return folder


def upload_limit_mb() -> int:
    """server.maxUploadSize from the app's .streamlit/config.toml (Streamlit's default: 200)."""
    config = REPO / ".streamlit" / "config.toml"
    with contextlib.suppress(OSError, tomllib.TOMLDecodeError):
        return int(tomllib.loads(config.read_text())["server"]["maxUploadSize"])
    return 200


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def check_port_free(host: str, port: int) -> None:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as error:
            raise ServeError(f"cannot listen on {host}:{port} ({error.strerror}): choose "
                             "another with --port") from None


# --- the frontend files, copied and compressed once --------------------------------------------


def _tree(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.endswith(".gz"):
            yield path


def _stamp(sources: dict[str, Path]) -> str:
    digest = hashlib.sha256()
    for prefix, folder in sorted(sources.items()):
        for path in _tree(folder):
            info = path.stat()
            digest.update(f"{prefix}/{path.relative_to(folder)}\0{info.st_size}\0"
                          f"{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def build_www(state: Path) -> Path:
    """state/www: Streamlit's static/ at the root and the app's static/ under app/static/,
    each compressible file with a .gz beside it. Rebuilt only when a source changed."""
    sources = {"": streamlit_static(), "app/static": REPO / "static"}
    sources = {k: v for k, v in sources.items() if v.is_dir()}
    www = state / "www"
    stamp = _stamp(sources)
    if (www / ".stamp").is_file() and (www / ".stamp").read_text() == stamp:
        return www
    started = time.monotonic()
    fresh = state / "www.new"
    shutil.rmtree(fresh, ignore_errors=True)
    files = plain = packed = 0
    for prefix, folder in sources.items():
        for source in _tree(folder):
            target = fresh / prefix / source.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            data = source.read_bytes()
            target.write_bytes(data)
            files += 1
            plain += len(data)
            if source.suffix.lower() in COMPRESSIBLE and len(data) > 512:
                small = gzip.compress(data, compresslevel=9, mtime=0)
                if len(small) < 0.9 * len(data):
                    (target.parent / (target.name + ".gz")).write_bytes(small)
                    packed += len(data) - len(small)
    for path in [fresh, *fresh.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    (fresh / ".stamp").write_text(stamp)
    shutil.rmtree(www, ignore_errors=True)
    fresh.rename(www)
    say(f"copied {files} frontend files ({plain / 1e6:.1f} MB) to {www}, gzip saves "
        f"{packed / 1e6:.1f} MB ({time.monotonic() - started:.1f} s, once per Streamlit version)")
    return www


# --- nginx's configuration ---------------------------------------------------------------------


def _worker_user(state: Path) -> str:
    """As root, nginx's workers drop to 'nobody': it must be able to reach the state dir."""
    if os.geteuid() != 0:
        return "# not root: the workers run as the user who started nginx"
    for folder in [state, *state.parents]:
        if not folder.stat().st_mode & stat.S_IXOTH:
            raise ServeError(
                f"started as root, nginx's workers run as 'nobody', who cannot enter {folder}: "
                f"choose a state dir they can reach, e.g. --state-dir /tmp/routes_dash-serve")
    return "user nobody nogroup;"


def _worker_connections() -> int:
    """As many as the open-file limit allows (two per proxied connection), up to 4096."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        want = 16384 if hard == resource.RLIM_INFINITY else min(hard, 16384)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, want), hard))
            soft = max(soft, want)
    return max(256, min(4096, soft // 2 - 64))


def render_conf(*, state: Path, www: Path, listen: str, port: int, replica_ports: list[int]
                ) -> str:
    top_files = "".join(
        f"        location = /{p.name} {{\n"
        f"            gzip_static on;\n"
        f"            add_header Cache-Control \"{_top_cache(p.name)}\";\n"
        f"        }}\n"
        for p in sorted(www.iterdir())
        if p.is_file() and not p.name.startswith(".") and p.suffix != ".gz"
        and p.name != "index.html")
    servers = "".join(f"        server 127.0.0.1:{p} max_fails=2 fail_timeout=5s;\n"
                      for p in replica_ports).rstrip("\n")
    values = {
        "STATE": str(state), "WWW": str(www), "LISTEN": listen, "PORT": str(port),
        "COOKIE": COOKIE, "SERVERS": servers, "TOP_FILES": top_files,
        "USER": _worker_user(state), "WORKER_CONNECTIONS": str(_worker_connections()),
        "BODY_MB": str(upload_limit_mb() + 1),
    }
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    return text


def _top_cache(name: str) -> str:
    # As Streamlit does: the manifest is never cached; the favicon is not hashed, so an hour.
    return "no-cache" if name.endswith((".html", ".json")) else "public, max-age=3600"


# --- processes ---------------------------------------------------------------------------------


try:
    _LIBC = ctypes.CDLL(None, use_errno=True)
except OSError:
    _LIBC = None


def _die_with_parent() -> None:
    """In the child: get SIGTERM when serve.py dies, however it dies (Linux)."""
    if _LIBC is not None and hasattr(_LIBC, "prctl"):
        _LIBC.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _spawn(args: list[str], log: Path, **kwargs) -> subprocess.Popen:
    with log.open("ab") as out:
        # Its own session: Ctrl-C in the terminal reaches serve.py only, which stops the
        # children in order.
        return subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True,
                                preexec_fn=_die_with_parent, **kwargs)


def _tail(path: Path, lines: int = 25) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return ""


def http_status(url: str, timeout: float = 3.0) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
    except (OSError, ValueError):
        return None


def wait_until_ok(url: str, process: subprocess.Popen, what: str, log: Path,
                  timeout: float = STARTUP_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not stopping.is_set():
        if process.poll() is not None:
            raise ServeError(f"{what} exited with code {process.returncode} while starting; "
                             f"the end of {log}:\n{_tail(log)}")
        if http_status(url) == 200:
            return
        if time.monotonic() > deadline:
            raise ServeError(f"{what} did not answer {url} within {timeout:.0f} s; "
                             f"the end of {log}:\n{_tail(log)}")
        stopping.wait(0.3)


@dataclass
class Replica:
    port: int
    log: Path
    process: subprocess.Popen | None = None
    started: float = 0.0
    restarts: list[float] = field(default_factory=list)

    @property
    def health(self) -> str:
        return f"http://127.0.0.1:{self.port}/_stcore/health"

    def start(self, streamlit_args: list[str]) -> None:
        self.process = _spawn(
            [sys.executable, "-m", "streamlit", "run", "app.py",
             "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--server.headless", "true", *streamlit_args],
            self.log, cwd=REPO)  # .streamlit/config.toml is read from the cwd
        self.started = time.monotonic()


def stop_all(processes: list[subprocess.Popen], grace: float = 15.0) -> None:
    """SIGTERM every process (nginx first: a fast shutdown), then SIGKILL what is left."""
    alive = [p for p in processes if p is not None and p.poll() is None]
    for process in alive:
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
    deadline = time.monotonic() + grace
    for process in alive:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


# --- the command -------------------------------------------------------------------------------


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="./dev serve", description="nginx in front of N Streamlit replicas of the "
        "dashboard, with sticky sessions; Ctrl-C stops everything.")
    parser.add_argument("--replicas", type=int, default=2,
                        help="Streamlit processes (default 2; about one per core)")
    parser.add_argument("--port", type=int, default=8080, help="nginx's port (default 8080)")
    parser.add_argument("--listen", default="0.0.0.0",
                        help="nginx's address (default 0.0.0.0: the whole local network, "
                             "as `streamlit run`; 127.0.0.1 for this machine only)")
    parser.add_argument("--state-dir", type=Path, default=REPO / ".deploy",
                        help="config, frontend copy, logs and temp files (default .deploy/)")
    parser.add_argument("--check", action="store_true",
                        help="build the files and the config, check it with `nginx -t`, exit")
    parser.add_argument("streamlit_args", nargs=argparse.REMAINDER,
                        help="after `--`: options for every `streamlit run`")
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    args.streamlit_args = [a for a in args.streamlit_args if a != "--"]
    args.state_dir = args.state_dir.resolve()
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda *_: stopping.set())
    processes: list[subprocess.Popen] = []
    try:
        return _serve(args, processes)
    except ServeError as error:
        say(str(error))
        return 1
    finally:
        stop_all(processes)


def _serve(args: argparse.Namespace, processes: list[subprocess.Popen]) -> int:
    nginx = find_nginx()
    state = args.state_dir
    for sub in ("logs", "tmp"):
        (state / sub).mkdir(parents=True, exist_ok=True)
    lock = (state / "serve.lock").open("a+")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise ServeError(f"another ./dev serve is using {state} (stop it, or pass "
                         "--state-dir)") from None
    www = build_www(state)
    check_port_free(args.listen, args.port)
    replicas = [Replica(free_port(), state / "logs" / f"replica-{i + 1}.log")
                for i in range(args.replicas)]
    conf = state / "nginx.conf"
    conf.write_text(render_conf(state=state, www=www, listen=args.listen, port=args.port,
                                replica_ports=[r.port for r in replicas]))
    test = subprocess.run([nginx, "-t", "-q", "-p", str(state), "-c", str(conf)],
                          capture_output=True, text=True, check=False)
    if test.returncode != 0:
        raise ServeError(f"nginx -t refused {conf}:\n{test.stderr.strip()}")
    if args.check:
        say(f"{conf} is valid ({args.replicas} replicas, port {args.port})")
        return 0

    say(f"starting {args.replicas} Streamlit replica(s) on 127.0.0.1:"
        + ", ".join(str(r.port) for r in replicas))
    for replica in replicas:
        replica.start(args.streamlit_args)
        processes.append(replica.process)
    for i, replica in enumerate(replicas, 1):
        wait_until_ok(replica.health, replica.process, f"replica {i}", replica.log)
    nginx_log = state / "logs" / "nginx.log"
    server = _spawn([nginx, "-p", str(state), "-c", str(conf)], nginx_log)
    processes.insert(0, server)
    host = "127.0.0.1" if args.listen in ("0.0.0.0", "::", "[::]") else args.listen
    wait_until_ok(f"http://{host}:{args.port}/_stcore/health", server, "nginx",
                  state / "logs" / "error.log", timeout=30)
    if stopping.is_set():
        return 0
    shown = "localhost" if host == "127.0.0.1" else host
    lan = _lan_address() if args.listen in ("0.0.0.0", "::", "[::]") else None
    others = f"; on the local network: http://{lan}:{args.port}" if lan else ""
    say(f"serving http://{shown}:{args.port}{others} (nginx → {args.replicas} replica(s)). "
        f"Logs and config in {state}. Ctrl-C stops everything.")
    return _watch(server, replicas, processes, args, state)


def _lan_address() -> str | None:
    """This machine's address on its default route (a UDP connect sends nothing)."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(("10.255.255.255", 1))
        address = s.getsockname()[0]
        return None if address.startswith("127.") else address
    return None


def _watch(server: subprocess.Popen, replicas: list[Replica], processes: list,
           args: argparse.Namespace, state: Path) -> int:
    """Until told to stop: restart a replica that exits, note one that stops answering."""
    last_health = time.monotonic()
    unhealthy: set[int] = set()
    while not stopping.wait(1.0):
        if server.poll() is not None:
            raise ServeError(f"nginx exited with code {server.returncode}; the end of "
                             f"{state / 'logs' / 'error.log'}:\n"
                             f"{_tail(state / 'logs' / 'error.log')}")
        for i, replica in enumerate(replicas, 1):
            if replica.process.poll() is None:
                continue
            now = time.monotonic()
            replica.restarts = [t for t in replica.restarts if now - t < 60] + [now]
            if len(replica.restarts) > 5:
                raise ServeError(f"replica {i} keeps exiting; the end of {replica.log}:\n"
                                 f"{_tail(replica.log)}")
            say(f"replica {i} exited with code {replica.process.returncode}: its sessions are "
                "lost (their browsers reconnect to a fresh session); starting it again")
            processes.remove(replica.process)
            replica.start(args.streamlit_args)
            processes.append(replica.process)
        if time.monotonic() - last_health >= 10:
            last_health = time.monotonic()
            for i, replica in enumerate(replicas, 1):
                ok = http_status(replica.health, timeout=5) == 200
                if not ok and i not in unhealthy and time.monotonic() - replica.started > 60:
                    say(f"replica {i} (127.0.0.1:{replica.port}) does not answer its health "
                        "check; nginx sends its browsers elsewhere while it fails")
                    unhealthy.add(i)
                elif ok and i in unhealthy:
                    say(f"replica {i} answers again")
                    unhealthy.discard(i)
    say("stopping nginx and the replicas")
    return 0


if __name__ == "__main__":
    sys.exit(main())
