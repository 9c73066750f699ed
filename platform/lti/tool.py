"""PyLTI1p3 and django-lti, fitted to dlgrade.

The libraries validate the id_token (format, registration, RS256 signature against the LMS's JWKS,
deployment, the claims each message type needs), build deep-linking responses and talk to the
Assignment and Grade Services and the Names and Role Provisioning Service. What is changed here:

- every call to an LMS has a timeout (the libraries make them without one);
- state and nonce live in the server's cache, each used once: the state is consumed by the launch
  it was made for, the nonce must be the one issued with that state and is refused if seen before
  (the library only checks that a nonce was issued, so a launch could be posted again);
- the state cookie binds the launch to the browser that started it when the browser sends it; a
  browser that blocks third-party cookies still launches, into the one-time-link fallback;
- only RS256, ``exp`` and ``iat`` required, a small clock skew allowed; ``azp`` checked when the
  token names several audiences;
- unknown deployments are refused (django-lti records them silently), and the signing key is the
  one ``lti.keys`` chooses, so a rotation never signs with a key the LMS has not seen yet.
"""

from __future__ import annotations

import hashlib
import logging

import jwt
import requests
from django.conf import settings
from django.core.cache import cache
from lti_tool.models import LtiDeployment, LtiRegistration
from lti_tool.utils import DjangoToolConfig
from pylti1p3.contrib.django import DjangoMessageLaunch, DjangoOIDCLogin
from pylti1p3.deployment import Deployment
from pylti1p3.exception import LtiException
from pylti1p3.registration import Registration
from pylti1p3.service_connector import ServiceConnector
from pylti1p3.session import SessionService

from lti.keys import key_ensure

log = logging.getLogger(__name__)

STATE_TTL_S = 600  # from the login initiation to the launch: the LMS's sign-in page sits in between
LAUNCH_TTL_S = 3600  # a launch's claims stay available this long (deep-link responses, resume links)
NONCE_TTL_S = 86400  # longer than any id_token lives: a nonce seen once is refused again until then
JWKS_CACHE_S = 600


class TimeoutSession(requests.Session):
    """A requests session whose every call gives up after LTI_HTTP_TIMEOUT_S (connect and read)."""

    def __init__(self) -> None:
        super().__init__()
        self.headers["User-Agent"] = "dlgrade-lti"

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", settings.LTI_HTTP_TIMEOUT_S)
        return super().request(*args, **kwargs)


def registration_for(model: LtiRegistration) -> Registration:
    """PyLTI1p3's view of a registration, signing with the key lti.keys chooses."""
    registration = (
        Registration()
        .set_auth_login_url(model.auth_url)
        .set_auth_token_url(model.token_url)
        .set_client_id(model.client_id)
        .set_key_set_url(model.keyset_url)
        .set_issuer(model.issuer)
    )
    if model.audience:
        registration.set_auth_audience(model.audience)
    if model.has_key:  # a platform that cannot read the tool's JWKS was given a key of its own
        return registration.set_tool_public_key(model.public_key).set_tool_private_key(model.private_key)
    key = key_ensure()
    return registration.set_tool_public_key(key.public_key).set_tool_private_key(key.private_key)


class ToolConfig(DjangoToolConfig):
    """Registrations and deployments from django-lti's tables; unknown deployments are refused."""

    def find_registration_by_params(self, iss, client_id, *args, **kwargs):
        registrations = LtiRegistration.objects.active().filter(issuer=iss)
        if client_id:
            registrations = registrations.filter(client_id=client_id)
        found = list(registrations[:2])
        if len(found) != 1:  # none, or several clients of one issuer and the LMS did not say which
            return None
        self.registration = found[0]
        return registration_for(self.registration)

    def find_deployment_by_params(self, iss, deployment_id, client_id, *args, **kwargs):
        if self.registration is None:
            return None
        self.deployment = self.registration.deployments.filter(deployment_id=deployment_id, is_active=True).first()
        if self.deployment is None:
            return None
        return Deployment().set_deployment_id(deployment_id)

    def find_deployment(self, iss, deployment_id):
        return self.find_deployment_by_params(iss, deployment_id, None)


class LaunchStore(SessionService):
    """Login state, nonce and launch claims in the shared cache instead of the browser's session.

    The launch arrives as a cross-site POST, often in a frame whose cookies the browser blocks, so
    nothing the launch needs may depend on a cookie.
    """

    def __init__(self, request) -> None:
        super().__init__(request)
        self._nonce = None

    def save_nonce(self, nonce: str) -> None:
        self._nonce = nonce

    def save_state_params(self, state: str, params) -> None:
        cache.set(f"lti:state:{state}", {**params, "nonce": self._nonce}, STATE_TTL_S)

    def take_state(self, state: str) -> dict | None:
        """The state's data, once: a second launch with the same state gets None."""
        key = f"lti:state:{state}"
        data = cache.get(key)
        if data is None or not cache.delete(key):
            return None
        return data

    def save_launch_data(self, key: str, jwt_body) -> None:
        cache.set(f"lti:launch:{key}", jwt_body, LAUNCH_TTL_S)

    def get_launch_data(self, key: str):
        return cache.get(f"lti:launch:{key}")

    def set_state_valid(self, state: str, id_token_hash: str) -> None:
        return None  # a launch is never validated twice

    def check_state_is_valid(self, state: str, id_token_hash: str) -> bool:
        return False


class OidcLogin(DjangoOIDCLogin):
    """Third-party initiated login: find the registration, remember state and nonce, send the browser to the LMS."""

    def __init__(self, request) -> None:
        self.tool_config = ToolConfig()
        super().__init__(request, self.tool_config, session_service=LaunchStore(request))

    def validate_oidc_login(self):
        registration = super().validate_oidc_login()
        self._state_params["registration"] = self.tool_config.registration.pk
        return registration

    def redirect_to_platform(self, launch_url: str):
        self.pass_params_to_launch({"registration": None})
        return self.redirect(launch_url)


class MessageLaunch(DjangoMessageLaunch):
    """One id_token posted by an LMS, validated as PyLTI1p3 does with the changes listed above."""

    def __init__(self, request, launch_id: str | None = None) -> None:
        self.tool_config = ToolConfig()
        self.store = LaunchStore(request)
        self.browser_bound = False
        self._state_data: dict = {}
        super().__init__(request, self.tool_config, session_service=self.store, requests_session=TimeoutSession())

    @classmethod
    def restore(cls, request, launch_id: str) -> MessageLaunch:
        """A launch validated earlier (its claims from the cache), e.g. to answer a deep-linking request."""
        launch = cls(request)
        body = launch.store.get_launch_data(launch_id)
        if not body:
            raise LtiException("Launch data not found")
        return (
            launch.set_launch_id(launch_id).set_auto_validation(enable=False).set_jwt({"body": body}).set_restored()
        ).validate_registration()

    def validate_state(self):
        state = self._get_request_param("state")
        if not state:
            raise LtiException("Missing state param")
        data = self.store.take_state(state)
        if data is None:
            raise LtiException("State not found: expired, or already used by another launch")
        self._state_data = data
        self.browser_bound = self._cookie_service.get_cookie(state) == state
        return self

    def validate_nonce(self):
        nonce = self._get_jwt_body().get("nonce")
        if not nonce or nonce != self._state_data.get("nonce"):
            raise LtiException("Invalid Nonce: not the one issued with this state")
        if not cache.add(f"lti:nonce:{hashlib.sha256(nonce.encode()).hexdigest()}", 1, NONCE_TTL_S):
            raise LtiException("Invalid Nonce: seen before")
        return self

    def validate_registration(self):
        super().validate_registration()
        if self._restored:
            return self
        if self._state_data.get("registration") != self.tool_config.registration.pk:
            raise LtiException("Registration not found: the id_token's issuer did not start this login")
        aud = self._get_jwt_body().get("aud")
        if isinstance(aud, list) and len(aud) > 1 and self._get_jwt_body().get("azp") != self.get_client_id():
            raise LtiException("Invalid azp: several audiences and azp is not our client id")
        return self

    def fetch_public_key(self, key_set_url: str):
        key = f"lti:jwks:{hashlib.sha256(key_set_url.encode()).hexdigest()}"
        keys = cache.get(key)
        if keys is None:
            keys = super().fetch_public_key(key_set_url)
            cache.set(key, keys, JWKS_CACHE_S)
        return keys

    def get_public_key(self):
        try:
            return super().get_public_key()
        except LtiException as error:
            if "Unable to find public key" not in str(error):
                raise
        # The LMS may have rotated its keys since its JWKS was cached: fetch it once more.
        url = self._registration.get_key_set_url()
        cache.delete(f"lti:jwks:{hashlib.sha256(url.encode()).hexdigest()}")
        self._registration.set_key_set(None)
        return super().get_public_key()

    def validate_jwt_signature(self):
        header = self._jwt.get("header", {})
        if header.get("alg") != "RS256":
            raise LtiException(f"Can't decode id_token: algorithm {header.get('alg')!r} is not RS256")
        public_key, algorithm = self.get_public_key()
        try:
            jwt.decode(
                self._get_id_token(),
                public_key,
                algorithms=[algorithm],
                options={"verify_aud": False, "require": ["exp", "iat", "iss", "sub", "nonce"]},
                leeway=settings.LTI_CLOCK_SKEW_S,
            )
        except jwt.InvalidTokenError as error:
            raise LtiException(f"Can't decode id_token: {error}") from error
        return self

    @property
    def registration_model(self) -> LtiRegistration:
        return self.tool_config.registration

    @property
    def deployment_model(self) -> LtiDeployment:
        if self.tool_config.deployment is None:
            deployment_id = self._get_jwt_body().get("https://purl.imsglobal.org/spec/lti/claim/deployment_id")
            self.tool_config.deployment = LtiDeployment.objects.get(
                registration=self.registration_model, deployment_id=deployment_id
            )
        return self.tool_config.deployment


class CachedTokenConnector(ServiceConnector):
    """PyLTI1p3's service connector with timeouts, its OAuth2 access tokens shared by every worker for a while."""

    def __init__(self, registration_model: LtiRegistration) -> None:
        super().__init__(registration_for(registration_model), TimeoutSession())
        # A registration made again (same id or not) never inherits the tokens of the one before.
        self._owner = f"{registration_model.pk}:{registration_model.datetime_created.timestamp()}"

    def _token_key(self, scopes) -> str:
        digest = hashlib.sha256("|".join(sorted(scopes)).encode()).hexdigest()[:32]
        return f"lti:token:{self._owner}:{digest}"

    def get_access_token(self, scopes) -> str:
        key = self._token_key(scopes)
        token = cache.get(key)
        if token is None:
            token = super().get_access_token(scopes)
            cache.set(key, token, settings.LTI_TOKEN_CACHE_S)
        return token

    def forget_token(self, scopes) -> None:
        cache.delete(self._token_key(scopes))
        self._access_tokens.clear()
