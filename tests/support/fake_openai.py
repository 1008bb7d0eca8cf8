"""A scripted OpenAI-compatible chat server on 127.0.0.1, speaking the real wire format.

Each request to POST /v1/chat/completions takes the next scripted reply: a tool call or text,
streamed as SSE chunks when the client asked for a stream; an HTTP error; or a stall longer
than the client's timeout. With `repeat_last` the last reply answers every later request;
otherwise a request past the script gets a plain "(no more scripted replies)". Every request
body is kept (with its `path`) and so are its headers, for assertions.

Structured-output requests (a forced function, as `with_structured_output` sends them, or a
JSON-schema response format) are answered apart from the script, by `facts(user_text)` (empty
facts when it is unset or returns None), and kept in `structured_requests`.

The chat brain, the script writer and the vision analyser all talk to this one server.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    text: str | None = None
    tool_calls: list[tuple[str, str]] = field(default_factory=list)
    """(name, raw JSON arguments): raw, so malformed arguments can be sent."""
    status: int = 200
    error: str = "upstream exploded"
    """The error message of a reply whose `status` is not 200."""
    stall_s: float = 0.0


def tool(name: str, args: dict[str, Any] | str) -> Reply:
    return Reply(tool_calls=[(name, args if isinstance(args, str) else json.dumps(args))])


def say(text: str) -> Reply:
    return Reply(text=text)


def failure(status: int, message: str = "upstream exploded") -> Reply:
    return Reply(status=status, error=message)


FactsAnswer = Callable[[str], dict[str, Any] | None]


FACTS_SCHEMA = "StatedFacts"


def _structured(body: dict[str, Any]) -> str | None:
    """For a request for the listing facts schema: the forced function's name, or
    "json_schema" for a schema response format; None for any other request."""
    choice = body.get("tool_choice")
    if isinstance(choice, dict) and choice.get("function", {}).get("name") == FACTS_SCHEMA:
        return FACTS_SCHEMA
    response_format = body.get("response_format")
    if isinstance(response_format, dict) and (
        response_format.get("json_schema", {}).get("name") == FACTS_SCHEMA
    ):
        return "json_schema"
    return None


def user_text(body: dict[str, Any]) -> str:
    """The last user message, without the <user_message> wrapping the brain adds."""
    users = [m for m in body.get("messages", []) if m.get("role") == "user"]
    content = users[-1]["content"] if users else ""
    if isinstance(content, list):
        content = " ".join(str(part.get("text", "")) for part in content)
    match = re.search(r"<user_message>\n(.*)\n</user_message>", str(content), re.DOTALL)
    return match.group(1) if match else str(content)


class FakeOpenAI:
    def __init__(
        self,
        replies: Iterable[Reply] = (),
        *,
        repeat_last: bool = False,
        facts: FactsAnswer | None = None,
    ) -> None:
        self.replies: list[Reply] = list(replies)
        self.repeat_last = repeat_last
        self.facts = facts
        self.structured_requests: list[dict[str, Any]] = []
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def start(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    @contextmanager
    def running(self) -> Iterator[FakeOpenAI]:
        self.start()
        try:
            yield self
        finally:
            self.stop()

    def _structured_reply(self, name: str, body: dict[str, Any]) -> Reply:
        self.structured_requests.append(body)
        answer = (self.facts(user_text(body)) if self.facts else None) or {}
        if name == "json_schema":
            return Reply(text=json.dumps(answer))
        return Reply(tool_calls=[(name, json.dumps(answer))])

    def _next_reply(self) -> Reply:
        if self.repeat_last and len(self.replies) == 1:
            return self.replies[0]
        return self.replies.pop(0) if self.replies else say("(no more scripted replies)")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                structured = _structured(body)
                if structured is not None:
                    reply = fake._structured_reply(structured, body)
                    if body.get("stream"):
                        self._stream(reply)
                    else:
                        self._json(200, _completion(reply))
                    return
                fake.requests.append({"path": self.path, **body})
                fake.headers.append({k.lower(): v for k, v in self.headers.items()})
                reply = fake._next_reply()
                if reply.stall_s:
                    time.sleep(reply.stall_s)
                if reply.status != 200:
                    self._json(
                        reply.status, {"error": {"message": reply.error, "type": "server_error"}}
                    )
                    return
                if body.get("stream"):
                    self._stream(reply)
                else:
                    self._json(200, _completion(reply))

            def _json(self, status: int, data: dict[str, Any]) -> None:
                raw = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _stream(self, reply: Reply) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for chunk in _chunks(reply):
                    try:
                        self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                        self.wfile.flush()
                    except (BrokenPipeError, ConnectionResetError):
                        return
                self.wfile.write(b"data: [DONE]\n\n")

        return Handler


def _base(delta_or_message: dict[str, Any], finish: str | None, *, stream: bool) -> dict[str, Any]:
    choice: dict[str, Any] = {"index": 0, "finish_reason": finish}
    choice["delta" if stream else "message"] = delta_or_message
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk" if stream else "chat.completion",
        "created": 1700000000,
        "model": "fake-model",
        "choices": [choice],
    }


def _completion(reply: Reply) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": reply.text}
    if reply.tool_calls:
        message["tool_calls"] = [
            {"id": f"call_{i}", "type": "function", "function": {"name": n, "arguments": a}}
            for i, (n, a) in enumerate(reply.tool_calls)
        ]
    out = _base(message, "tool_calls" if reply.tool_calls else "stop", stream=False)
    out["usage"] = {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
    return out


def _chunks(reply: Reply) -> list[dict[str, Any]]:
    chunks = [_base({"role": "assistant", "content": ""}, None, stream=True)]
    if reply.text:
        words = reply.text.split(" ")
        for i, word in enumerate(words):
            piece = word if i == len(words) - 1 else word + " "
            chunks.append(_base({"content": piece}, None, stream=True))
    for index, (name, args) in enumerate(reply.tool_calls):
        head = {
            "index": index,
            "id": f"call_{index}",
            "type": "function",
            "function": {"name": name, "arguments": ""},
        }
        chunks.append(_base({"tool_calls": [head]}, None, stream=True))
        for start in range(0, len(args), 7):
            piece = {"index": index, "function": {"arguments": args[start : start + 7]}}
            chunks.append(_base({"tool_calls": [piece]}, None, stream=True))
    chunks.append(_base({}, "tool_calls" if reply.tool_calls else "stop", stream=True))
    return chunks
