"""`dlgrade`: submit NumPy exercises to a dlgrade server from a terminal and print the verdict.

    dlgrade login                 # asks for the server and a token made on your profile page
    dlgrade submit relu relu.py   # submits, waits for the verdict, prints every case
    dlgrade exercises             # lists the exercises
    dlgrade show 42               # shows one of your submissions

The server and token come from --url/--token, else DLGRADE_URL/DLGRADE_TOKEN, else the file that
`dlgrade login` writes (~/.config/dlgrade/config.json, readable by you only).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from dlgrade_client import __version__

DEFAULT_URL = "http://127.0.0.1:8000"
API_PREFIX = "/api/v1/"
EXIT_GRADED, EXIT_NOT_GRADABLE, EXIT_USAGE, EXIT_UNAVAILABLE = 0, 1, 2, 3
EXIT_CODES = """exit codes:
  0  graded (whatever the score)
  1  your file could not be run (syntax error, missing function, crash at import)
  2  usage or request error (bad arguments, missing file, not signed in, unknown exercise, code refused)
  3  dlgrade could not grade it or could not be reached (platform error, network, timed out waiting)"""


class ClientError(Exception):
    def __init__(self, message: str, exit_code: int = EXIT_USAGE, status: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
        self.status = status


def config_path() -> Path:
    if explicit := os.environ.get("DLGRADE_CONFIG"):
        return Path(explicit)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "dlgrade" / "config.json"


def load_config() -> dict[str, str]:
    try:
        data = json.loads(config_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_config(url: str, token: str) -> Path:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump({"url": url, "token": token}, handle)
    os.chmod(path, 0o600)
    return path


class Api:
    """JSON over HTTP to /api/v1/, with the token as a Bearer credential."""

    def __init__(self, url: str, token: str, timeout: float = 30.0) -> None:
        self.base = url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        url = path if path.startswith(("http://", "https://")) else self.base + API_PREFIX + path.lstrip("/")
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Accept", "application/json")
        request.add_header("User-Agent", f"dlgrade-client/{__version__}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read().decode("utf-8") or "{}")
        except urllib.error.HTTPError as error:
            raise _http_error(error) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            reason = getattr(error, "reason", error)
            raise ClientError(f"cannot reach {self.base}: {reason}", EXIT_UNAVAILABLE) from None
        except ValueError:
            raise ClientError(
                f"{self.base} did not answer with JSON: is it a dlgrade server?", EXIT_UNAVAILABLE
            ) from None


def _http_error(error: urllib.error.HTTPError) -> ClientError:
    try:
        message = json.loads(error.read().decode("utf-8")).get("message") or error.reason
    except (ValueError, AttributeError, OSError):
        message = error.reason
    if error.code == 401:
        message = f"{message} (sign in with `dlgrade login`, or set DLGRADE_TOKEN to a token from your profile page)"
    if error.code == 429 and error.headers.get("Retry-After"):
        message = f"{message} Retry in {error.headers['Retry-After']} s."
    exit_code = EXIT_UNAVAILABLE if error.code >= 500 else EXIT_USAGE
    return ClientError(f"{message} (HTTP {error.code})", exit_code, error.code)


def _api(args: argparse.Namespace, *, need_token: bool = True) -> Api:
    config = load_config()
    url = args.url or os.environ.get("DLGRADE_URL") or config.get("url") or DEFAULT_URL
    token = args.token or os.environ.get("DLGRADE_TOKEN") or config.get("token") or ""
    if need_token and not token:
        raise ClientError("not signed in: run `dlgrade login`, or set DLGRADE_TOKEN to a token from your profile page")
    return Api(url, token, timeout=args.http_timeout)


# -- commands --------------------------------------------------------------------------------


def command_login(args: argparse.Namespace) -> int:
    config = load_config()
    url = args.url or os.environ.get("DLGRADE_URL") or config.get("url")
    if not url:
        answer = input(f"dlgrade server [{DEFAULT_URL}]: ").strip() if sys.stdin.isatty() else ""
        url = answer or DEFAULT_URL
    token = args.token or os.environ.get("DLGRADE_TOKEN")
    if not token:
        prompt = "token (make one on your profile page, /accounts/profile/): "
        token = getpass.getpass(prompt) if sys.stdin.isatty() else sys.stdin.readline()
    token = token.strip()
    if not token:
        raise ClientError("no token given")
    me = Api(url, token, timeout=args.http_timeout).call("GET", "me/")
    path = save_config(url, token)
    print(f"signed in to {url} as {me['username']}; saved in {path}")
    return EXIT_GRADED


def command_logout(args: argparse.Namespace) -> int:
    path = config_path()
    try:
        path.unlink()
    except FileNotFoundError:
        print("not signed in")
        return EXIT_GRADED
    print(f"signed out: removed {path} (the token still works until you revoke it on your profile page)")
    return EXIT_GRADED


def command_whoami(args: argparse.Namespace) -> int:
    api = _api(args)
    me = api.call("GET", "me/")
    print(f"{me['username']} on {api.base}" + (" (staff)" if me.get("is_staff") else ""))
    return EXIT_GRADED


def command_exercises(args: argparse.Namespace) -> int:
    api = _api(args)
    page: str | None = "exercises/?page_size=200"
    while page:
        body = api.call("GET", page)
        for exercise in body["results"]:
            print(f"{exercise['slug']:<24} {exercise['difficulty']:<7} {exercise['title']['en']}")
        page = body.get("next")
    return EXIT_GRADED


def command_submit(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        source = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ClientError(f"no such file: {args.file}") from None
    except IsADirectoryError:
        raise ClientError(f"{args.file} is a folder; give one .py file") from None
    except UnicodeDecodeError:
        raise ClientError(f"{args.file} is not UTF-8 text") from None
    except OSError as error:
        raise ClientError(f"cannot read {args.file}: {error.strerror}") from None
    api = _api(args)
    submission = api.call("POST", "submissions/", {"exercise": args.slug, "source": source})
    if not args.json:
        print(f"submitted {args.file} as #{submission['id']} of {args.slug}", file=sys.stderr)
    if args.no_wait:
        if args.json:
            print(json.dumps(submission, ensure_ascii=False, indent=1))
        return EXIT_GRADED
    return _wait_and_print(api, submission, args)


def command_show(args: argparse.Namespace) -> int:
    api = _api(args)
    submission = api.call("GET", f"submissions/{args.id}/")
    if not submission["is_final"] and args.wait:
        return _wait_and_print(api, submission, args)
    return _print_submission(submission, args)


def _wait_and_print(api: Api, submission: dict[str, Any], args: argparse.Namespace) -> int:
    deadline = time.monotonic() + args.timeout
    delay = 0.3
    while not submission["is_final"]:
        if time.monotonic() > deadline:
            raise ClientError(
                f"no verdict after {args.timeout:g} s; see it later with `dlgrade show {submission['id']}`",
                EXIT_UNAVAILABLE,
            )
        time.sleep(delay)
        delay = min(2.0, delay * 1.5)
        submission = api.call("GET", submission["url"])
    return _print_submission(submission, args)


def _print_submission(submission: dict[str, Any], args: argparse.Namespace) -> int:
    if args.json:
        print(json.dumps(submission, ensure_ascii=False, indent=1))
    else:
        print(format_submission(submission))
    return exit_code_for(submission)


def exit_code_for(submission: dict[str, Any]) -> int:
    status = submission["status"]
    if status == "graded":
        return EXIT_GRADED
    if status == "not_gradable":
        return EXIT_NOT_GRADABLE
    if status == "platform_error":
        return EXIT_UNAVAILABLE
    return EXIT_GRADED  # queued or running, shown without waiting


def format_submission(submission: dict[str, Any]) -> str:
    """The verdict as a student reads it: the score, then every case with its status and message."""
    verdict = submission.get("verdict")
    head = f"#{submission['id']} {submission['exercise']}: "
    status = submission["status"]
    if status in ("queued", "running"):
        return head + f"{status}, no verdict yet"
    if status == "platform_error" or verdict is None:
        return head + (submission.get("message") or "dlgrade could not grade this submission")
    lines = []
    score = f"{round(verdict['score'] * 100)}% ({verdict['passed']}/{verdict['total']} cases passed)"
    if status == "not_gradable":
        lines.append(head + f"could not run, score {score}")
        lines.append(f"  {verdict['message']}")
    else:
        lines.append(head + f"score {score}")
    for case in verdict.get("cases", ()):
        name = case["name"] + (" (hidden)" if case.get("hidden") else "")
        message = case.get("message") or ""
        if status == "not_gradable":
            message = ""  # the reason is said once, above
        lines.append(f"  {case['status'].upper():<9} {name}" + (f": {_one_line(message)}" if message else ""))
    for mistake in verdict.get("mistakes", ()):
        lines.append(f"  known mistake: {mistake['message']}")
    lines += format_credit(submission)
    return "\n".join(lines)


NOT_COUNTED_BECAUSE = {"attempts": "no attempts were left", "interval": "too soon after the previous one"}


def format_credit(submission: dict[str, Any]) -> list[str]:
    """Where the submission counted (an older server does not say: nothing is printed)."""
    lines = []
    for credit in submission.get("counted_for") or ():
        marks = []
        if credit.get("is_late"):
            days = credit.get("late_days", 0)
            marks.append(f"late {days} day{'s' if days != 1 else ''}")
            if credit.get("late_penalty"):
                marks.append(f"-{round(credit['late_penalty'] * 100)}%")
        if credit.get("extension_applied"):
            marks.append("with your extension")
        lines.append(
            f"  counted for: {credit['title']} ({credit['course']})" + (", " + ", ".join(marks) if marks else "")
        )
    for credit in submission.get("not_counted_for") or ():
        reason = NOT_COUNTED_BECAUSE.get(credit.get("reason"), credit.get("reason") or "")
        lines.append(f"  not counted for: {credit['title']} ({credit['course']}): {reason}")
    return lines


def _one_line(text: str, limit: int = 400) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# -- entry point -----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--url", help="the dlgrade server, e.g. https://dlgrade.example.edu (env DLGRADE_URL)")
    common.add_argument("--token", help="an API token from your profile page (env DLGRADE_TOKEN)")
    common.add_argument("--http-timeout", type=float, default=30.0, help=argparse.SUPPRESS)
    parser = argparse.ArgumentParser(
        prog="dlgrade",
        description="Submit dlgrade exercises from a terminal and print the verdict.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"dlgrade-client {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    login = commands.add_parser("login", parents=[common], help="save the server and your token")
    login.set_defaults(run=command_login)
    commands.add_parser("logout", parents=[common], help="forget the saved token").set_defaults(run=command_logout)
    commands.add_parser("whoami", parents=[common], help="who the token signs in as").set_defaults(run=command_whoami)
    commands.add_parser("exercises", parents=[common], help="list the exercises").set_defaults(run=command_exercises)

    submit = commands.add_parser(
        "submit",
        parents=[common],
        help="submit FILE for exercise SLUG and print the verdict",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    submit.add_argument("slug", metavar="SLUG", help="the exercise, e.g. relu (see `dlgrade exercises`)")
    submit.add_argument("file", metavar="FILE", help="your Python file")
    submit.add_argument("--no-wait", action="store_true", help="submit and return without waiting for the verdict")
    submit.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for the verdict (default 120)")
    submit.add_argument("--json", action="store_true", help="print the submission and verdict as JSON")
    submit.set_defaults(run=command_submit)

    show = commands.add_parser("show", parents=[common], help="show one of your submissions")
    show.add_argument("id", type=int, metavar="ID")
    show.add_argument("--wait", action="store_true", help="wait for the verdict if it is not ready")
    show.add_argument("--timeout", type=float, default=120.0, help=argparse.SUPPRESS)
    show.add_argument("--json", action="store_true", help="print it as JSON")
    show.set_defaults(run=command_show)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except ClientError as error:
        print(f"dlgrade: {error.message}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("dlgrade: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
