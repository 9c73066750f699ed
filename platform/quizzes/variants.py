"""Per-student variants: the seed of a parameterized question, derived on the server.

A variant token is an HMAC (keyed by SECRET_KEY) of the user id, the question uuid and the try
number. It is stable, so the same student sees the same numbers on every reload of a try; a new
try draws new numbers. It cannot be computed without the secret key, so nobody can work out
another student's numbers from their id, and a token posted back in a form is only ever compared
with the one recomputed here, never used as a seed: a form carrying someone else's token (or one
from an earlier try) is refused.

Rotating SECRET_KEY changes the variants of tries in progress: their open pages get the "reload"
message once. Answers already given keep the numbers they were shown (QuestionAnswer.values).
"""

from __future__ import annotations

from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "dlgrade.quizzes.variant"
TOKEN_HEX_DIGITS = 16  # 64 bits of seed


def variant_token(*, user_id: int, question_uuid: str, attempt_number: int) -> str:
    message = f"{user_id}:{question_uuid}:{attempt_number}"
    return salted_hmac(SALT, message, algorithm="sha256").hexdigest()[:TOKEN_HEX_DIGITS]


def variant_seed(token: str) -> int:
    return int(token, 16)


def token_matches(posted: str | None, expected: str) -> bool:
    return bool(posted) and constant_time_compare(posted, expected)
