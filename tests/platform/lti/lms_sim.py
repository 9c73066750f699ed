"""A small LMS for the tests: an LTI 1.3 platform in a process of its own, talking to dlgrade over real HTTP.

It has its own RSA keys and serves their JWKS; performs the OIDC launch handshake (login
initiation, then its authorization endpoint answers with a signed id_token posted to dlgrade);
answers the OAuth2 client-credentials token request, checking dlgrade's client assertion against
dlgrade's own JWKS; keeps line items and receives AGS score posts; answers NRPS roster requests;
takes deep-linking responses and makes the line items they ask for, as an LMS does.

Tests drive it through /control/* (JSON): what the next launch says, faults to inject (a failing
or slow token endpoint, scores refused while the LMS is "down", deleted line items, defective
id_tokens), and what it has received.

    python tests/platform/lti/lms_sim.py   # prints "ready <port>" once listening on 127.0.0.1
"""

from __future__ import annotations

import html
import json
import secrets
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLIENT_ID = "dlgrade-client"
DEPLOYMENT_ID = "deployment-1"
LTI = "https://purl.imsglobal.org/spec/lti/claim/"


def _new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


KEY = _new_key()
ROGUE_KEY = _new_key()  # not in the JWKS: "wrongly signed" tokens use it under the real kid
KID = "sim-key-1"


class State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.tokens: set[str] = set()  # kept across resets: a tool may reuse a cached token
        self.reset()

    def reset(self) -> None:
        self.tool: dict = {}
        self.launches: dict[str, dict] = {}
        self.last_nonce = None
        self.lineitems: dict[str, dict] = {}
        self.scores: list[dict] = []
        self.deep_links: list[dict] = []
        self.members: list[dict] = []
        self.faults: dict = {}
        self.token_requests = 0
        self.score_attempts = 0
        self.next_id = 1


STATE = State()


def _jwks() -> dict:
    jwk = json.loads(RSAAlgorithm.to_jwk(KEY.public_key()))
    return {"keys": [{**jwk, "kid": KID, "alg": "RS256", "use": "sig"}]}


def _tool_key(kid: str):
    """dlgrade's public key with this kid, fetched from dlgrade's JWKS over HTTP as an LMS does."""
    with urllib.request.urlopen(STATE.tool["jwks_url"], timeout=10) as response:
        keys = json.load(response)["keys"]
    for key in keys:
        if key.get("kid") == kid:
            return RSAAlgorithm.from_jwk(json.dumps(key))
    raise ValueError(f"kid {kid!r} not in the tool's JWKS")


def _verify_tool_jwt(token: str, audience: str) -> dict:
    header = jwt.get_unverified_header(token)
    return jwt.decode(token, _tool_key(header["kid"]), algorithms=["RS256"], audience=audience)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # quiet: the tests print what matters
        pass

    @property
    def base(self) -> str:
        return f"http://{self.headers['Host']}"

    # --- plumbing ---
    def _send(self, status: int, body: bytes = b"", content_type: str = "application/json", headers=None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data, content_type: str = "application/json") -> None:
        self._send(status, json.dumps(data).encode(), content_type)

    def _html(self, text: str, status: int = 200) -> None:
        self._send(status, f"<!doctype html><html><body>{text}</body></html>".encode(), "text/html; charset=utf-8")

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _form(self) -> dict:
        return {k: v[0] for k, v in urllib.parse.parse_qs(self._body().decode()).items()}

    def _authorized(self) -> bool:
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in STATE.tokens:
            self._json(401, {"error": "invalid_token"})
            return False
        return True

    def _autopost(self, action: str, fields: dict, form_id: str) -> None:
        inputs = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(str(v))}">' for k, v in fields.items()
        )
        self._html(
            f'<form id="{form_id}" method="post" action="{html.escape(action)}">{inputs}'
            f'<button type="submit">Continue</button></form>'
            f"<script>document.getElementById('{form_id}').submit()</script>"
        )

    # --- routes ---
    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
        path = url.path
        if path == "/jwks":
            return self._json(200, _jwks())
        if path == "/control/state":
            with STATE.lock:
                return self._json(
                    200,
                    {
                        "scores": STATE.scores,
                        "lineitems": STATE.lineitems,
                        "deep_links": STATE.deep_links,
                        "token_requests": STATE.token_requests,
                        "score_attempts": STATE.score_attempts,
                    },
                )
        if path.startswith("/start/"):
            return self._start(path.split("/")[2])
        if path.startswith("/course/"):  # the LMS's course page, with the tool in a frame
            hint = path.split("/")[2]
            return self._html(
                f'<h1>LMS course</h1><iframe id="tool" title="tool" src="/start/{hint}" width="1200" height="800"></iframe>'
            )
        if path == "/auth":
            return self._authorize(query)
        if path == "/lineitems":
            if not self._authorized():
                return None
            with STATE.lock:
                items = [
                    {"id": f"{self.base}/lineitems/{item_id}", **item["data"]}
                    for item_id, item in STATE.lineitems.items()
                    if not item["deleted"]
                    and query.get("resource_id", item["data"].get("resourceId")) == item["data"].get("resourceId")
                ]
            return self._json(200, items, "application/vnd.ims.lis.v2.lineitemcontainer+json")
        if path == "/memberships":
            if not self._authorized():
                return None
            if "membershipcontainer" not in self.headers.get("Accept", ""):
                return self._json(406, {"error": "accept"})
            with STATE.lock:
                members = list(STATE.members)
            return self._json(
                200,
                {"id": f"{self.base}/memberships", "context": {"id": "course-1"}, "members": members},
                "application/vnd.ims.lti-nrps.v2.membershipcontainer+json",
            )
        return self._json(404, {"error": "not found"})

    def do_POST(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        if path == "/control/reset":
            with STATE.lock:
                STATE.reset()
            return self._json(200, {})
        if path == "/control/setup":
            STATE.tool = json.loads(self._body())
            return self._json(200, {})
        if path == "/control/faults":
            with STATE.lock:
                STATE.faults = json.loads(self._body())
            return self._json(200, {})
        if path == "/control/members":
            with STATE.lock:
                STATE.members = json.loads(self._body())
            return self._json(200, {})
        if path == "/control/delete_lineitem":
            with STATE.lock:
                STATE.lineitems[json.loads(self._body())["id"]]["deleted"] = True
            return self._json(200, {})
        if path == "/control/launch":
            spec = json.loads(self._body())
            hint = secrets.token_hex(8)
            with STATE.lock:
                STATE.launches[hint] = spec
            return self._json(
                200, {"hint": hint, "start": f"{self.base}/start/{hint}", "course": f"{self.base}/course/{hint}"}
            )
        if path == "/token":
            return self._token()
        if path == "/lineitems":
            if not self._authorized():
                return None
            data = json.loads(self._body())
            with STATE.lock:
                item_id = str(STATE.next_id)
                STATE.next_id += 1
                STATE.lineitems[item_id] = {"data": data, "deleted": False}
            return self._json(
                201, {"id": f"{self.base}/lineitems/{item_id}", **data}, "application/vnd.ims.lis.v2.lineitem+json"
            )
        if path.startswith("/lineitems/") and path.endswith("/scores"):
            return self._score(path.split("/")[2])
        if path == "/deep_link_return":
            return self._deep_link_return()
        return self._json(404, {"error": "not found"})

    # --- the launch handshake ---
    def _start(self, hint: str) -> None:
        """The LMS sends the browser to the tool's login initiation URL (a form post, as Canvas does)."""
        spec = STATE.launches[hint]
        fields = {
            "iss": spec.get("iss", self.base),
            "login_hint": spec["user"]["sub"],
            "target_link_uri": STATE.tool["launch_url"],
            "lti_message_hint": hint,
            "client_id": CLIENT_ID,
            "lti_deployment_id": spec.get("deployment_id", DEPLOYMENT_ID),
        }
        self._autopost(STATE.tool["login_url"], fields, "login")

    def _authorize(self, query: dict) -> None:
        """The OIDC authorization endpoint: checks the request, answers with a signed id_token posted to the tool."""
        problems = [
            name
            for name, ok in (
                ("scope", query.get("scope") == "openid"),
                ("response_type", query.get("response_type") == "id_token"),
                ("response_mode", query.get("response_mode") == "form_post"),
                ("client_id", query.get("client_id") == CLIENT_ID),
                ("redirect_uri", query.get("redirect_uri") == STATE.tool.get("launch_url")),
                ("nonce", bool(query.get("nonce"))),
                ("state", bool(query.get("state"))),
            )
            if not ok
        ]
        spec = STATE.launches.get(query.get("lti_message_hint", ""))
        if problems or spec is None or query.get("login_hint") != spec["user"]["sub"]:
            return self._json(400, {"error": "invalid_request", "problems": problems})
        defects = set(spec.get("defects", ()))
        nonce = query["nonce"]
        with STATE.lock:
            if "stale_nonce" in defects and STATE.last_nonce:
                nonce = STATE.last_nonce
            STATE.last_nonce = query["nonce"]
        now = int(time.time())
        claims = {
            "iss": self.base,
            "aud": CLIENT_ID,
            "sub": spec["user"]["sub"],
            "iat": now - 1200 if "expired" in defects else now,
            "exp": now - 600 if "expired" in defects else now + 300,
            "nonce": nonce,
            "given_name": spec["user"].get("given_name", ""),
            "family_name": spec["user"].get("family_name", ""),
            "name": spec["user"].get("name", ""),
            "email": spec["user"].get("email", ""),
            LTI + "message_type": spec.get("message_type", "LtiResourceLinkRequest"),
            LTI + "version": "1.3.0",
            LTI + "deployment_id": spec.get("deployment_id", DEPLOYMENT_ID),
            LTI + "target_link_uri": STATE.tool["launch_url"],
            LTI + "roles": spec.get("roles", [LTI_ROLE + "Learner"]),
            LTI + "context": spec.get("context", {"id": "course-1", "title": "Deep Learning (LMS)", "label": "DL101"}),
            LTI + "tool_platform": {"guid": "sim-lms", "name": "Simulated LMS", "product_family_code": "sim"},
            LTI + "launch_presentation": {"document_target": "iframe", "return_url": f"{self.base}/return"},
            LTI + "custom": spec.get("custom", {}),
            "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": {
                "context_memberships_url": f"{self.base}/memberships",
                "service_versions": ["2.0"],
            },
            "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {
                "scope": [
                    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
                    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
                    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
                    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
                ],
                "lineitems": f"{self.base}/lineitems",
                **({"lineitem": spec["lineitem"]} if spec.get("lineitem") else {}),
            },
        }
        if claims[LTI + "message_type"] == "LtiDeepLinkingRequest":
            claims["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = {
                "deep_link_return_url": f"{self.base}/deep_link_return",
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["iframe", "window"],
                "accept_multiple": False,
                "data": "dl-data-" + spec["user"]["sub"],
            }
        else:
            claims[LTI + "resource_link"] = spec.get("resource_link", {"id": "link-1", "title": "dlgrade"})
        for name in spec.get("remove", ()):
            claims.pop(
                name if name.startswith(("http", "iss", "sub", "aud", "exp", "iat", "nonce")) else LTI + name, None
            )
        key = ROGUE_KEY if "wrong_key" in defects else KEY
        id_token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": KID})
        self._autopost(query["redirect_uri"], {"id_token": id_token, "state": query["state"]}, "launch")

    # --- services ---
    def _token(self) -> None:
        form = self._form()
        with STATE.lock:
            STATE.token_requests += 1
            fault = STATE.faults.get("token")
        if fault == "500":
            return self._json(500, {"error": "server_error"})
        if fault == "slow":
            time.sleep(float(STATE.faults.get("token_delay", 5)))
        try:
            assert form.get("grant_type") == "client_credentials"
            assert form.get("client_assertion_type") == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
            claims = _verify_tool_jwt(form["client_assertion"], audience=f"{self.base}/token")
            assert claims["iss"] == claims["sub"] == CLIENT_ID and claims.get("jti")
        except Exception as error:
            return self._json(401, {"error": "invalid_client", "detail": str(error)})
        token = secrets.token_urlsafe(24)
        with STATE.lock:
            STATE.tokens.add(token)
        return self._json(
            200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600, "scope": form.get("scope", "")}
        )

    def _score(self, item_id: str) -> None:
        body = self._body()
        with STATE.lock:
            STATE.score_attempts += 1
            down = STATE.faults.get("scores") == "down"
            item = STATE.lineitems.get(item_id)
        if down:
            return self._json(503, {"error": "maintenance"})
        if not self._authorized():
            return None
        if self.headers.get("Content-Type") != "application/vnd.ims.lis.v1.score+json":
            return self._json(415, {"error": "content type"})
        if item is None or item["deleted"]:
            return self._json(404, {"error": "no such line item"})
        score = json.loads(body)
        with STATE.lock:
            STATE.scores.append({"lineitem": item_id, **score})
        return self._send(204)

    def _deep_link_return(self) -> None:
        form = self._form()
        try:
            message = _verify_tool_jwt(form["JWT"], audience=self.base)
            assert message["iss"] == CLIENT_ID
            assert message[LTI + "message_type"] == "LtiDeepLinkingResponse"
            assert message[LTI + "deployment_id"] == DEPLOYMENT_ID
        except Exception as error:
            return self._html(f"<p id='refused'>refused: {html.escape(str(error))}</p>", 400)
        placed = []
        with STATE.lock:
            for item in message.get("https://purl.imsglobal.org/spec/lti-dl/claim/content_items", []):
                link_id = f"placed-{STATE.next_id}"
                STATE.next_id += 1
                lineitem_url = None
                if item.get("lineItem"):
                    item_id = str(STATE.next_id)
                    STATE.next_id += 1
                    STATE.lineitems[item_id] = {
                        "data": {
                            **item["lineItem"],
                            "resourceLinkId": link_id,
                            "label": item["lineItem"].get("label", item.get("title")),
                        },
                        "deleted": False,
                    }
                    lineitem_url = f"{self.base}/lineitems/{item_id}"
                placed.append({"resource_link_id": link_id, "lineitem": lineitem_url, **item})
            STATE.deep_links.append(
                {"data": message.get("https://purl.imsglobal.org/spec/lti-dl/claim/data"), "items": placed}
            )
        self._html("<p id='placed'>" + ", ".join(html.escape(p.get("title") or "") for p in placed) + " placed</p>")


LTI_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#"


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 0), Handler)
    print(f"ready {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
