"""Read a submitted form (URL-encoded or multipart) with the standard library only.

FastAPI's own form parsing needs the python-multipart package, which bonemet does not
depend on; the web pages need only text fields and one small JSON file upload, which
`urllib.parse` and the `email` parser handle. Bodies are size-limited before parsing.
"""

from __future__ import annotations

import email.parser
import email.policy
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from starlette.requests import Request

MAX_BODY_BYTES = 5 * 1024 * 1024  # a FHIR Bundle for one patient fits easily
MAX_FIELDS = 5000


class FormTooLargeError(ValueError):
    pass


class UnreadableFormError(ValueError):
    pass


@dataclass(frozen=True)
class Upload:
    filename: str
    content: bytes


@dataclass(frozen=True)
class SubmittedForm:
    pairs: tuple[tuple[str, str], ...]
    files: dict[str, Upload] = field(default_factory=dict)

    def get(self, name: str, default: str = "") -> str:
        found = default
        for key, value in self.pairs:
            if key == name:
                found = value
        return found


async def read_form(request: Request) -> SubmittedForm:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise FormTooLargeError(f"the form is larger than {MAX_BODY_BYTES // (1024 * 1024)} MB")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise FormTooLargeError(f"the form is larger than {MAX_BODY_BYTES // (1024 * 1024)} MB")
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        return parse_multipart(content_type, body)
    return parse_urlencoded(body)


def parse_urlencoded(body: bytes) -> SubmittedForm:
    try:
        text = body.decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except (UnicodeDecodeError, ValueError) as error:
        raise UnreadableFormError(str(error)) from None
    return SubmittedForm(tuple(pairs))


def parse_multipart(content_type: str, body: bytes) -> SubmittedForm:
    header = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(header + body)
    if not message.is_multipart():
        raise UnreadableFormError("the multipart form could not be read")
    pairs: list[tuple[str, str]] = []
    files: dict[str, Upload] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            files[name] = Upload(filename, content)
            continue
        charset = part.get_content_charset() or "utf-8"
        try:
            pairs.append((name, content.decode(charset)))
        except (UnicodeDecodeError, LookupError):
            raise UnreadableFormError(f"field {name!r} is not valid text") from None
        if len(pairs) > MAX_FIELDS:
            raise UnreadableFormError("too many fields")
    return SubmittedForm(tuple(pairs), files)
