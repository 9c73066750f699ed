"""URL converters. Ids are bounded so that an absurd number is a 404, not a database overflow (500)."""


class IdConverter:
    regex = "[0-9]{1,18}"  # below 2**63: every database's bigint

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
