"""Fake model APIs on 127.0.0.1: Anthropic Messages (``POST /v1/messages``)
and OpenAI Chat Completions (``POST /v1/chat/completions``), answering
what a test queues (an answer with usage, a 429 with ``retry-after``, a
500, a truncated body, an answer cut at the token limit or refused, a body
that is not JSON), and recording every request."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple

import pytest


class Reply(NamedTuple):
    status: int = 200
    text: str = ''  # the model's answer (status 200)
    headers: tuple[tuple[str, str], ...] = ()
    truncated: bool = False  # promise more bytes than are sent, then close
    input_tokens: int = 1200
    output_tokens: int = 300
    # Why the model stopped: Anthropic's stop_reason (end_turn, max_tokens,
    # refusal), OpenAI's finish_reason (stop, length, content_filter).
    stop: str | None = None
    refusal: str | None = None  # an OpenAI message's refusal
    raw: bytes | None = None  # a 200 body sent as it is (status 200)
    content_type: str = 'application/json'
    model: str | None = None  # the model the answer names (default: the one asked for)


class Seen(NamedTuple):
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


class FakeModels:
    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.default = Reply(text='{"verdict": "PASS", "summary": "ok", "findings": []}')
        self.seen: list[Seen] = []
        self._server = ThreadingHTTPServer(('127.0.0.1', 0), _handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f'http://127.0.0.1:{self._server.server_address[1]}'

    def queue(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def next(self) -> Reply:
        return self.replies.pop(0) if self.replies else self.default

    def start(self) -> FakeModels:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def _anthropic_body(r: Reply, model: str) -> dict[str, Any]:
    return {
        'id': 'msg_fake',
        'type': 'message',
        'role': 'assistant',
        'model': model,
        'content': [{'type': 'text', 'text': r.text}],
        'stop_reason': r.stop or 'end_turn',
        'stop_sequence': None,
        'usage': {'input_tokens': r.input_tokens, 'output_tokens': r.output_tokens},
    }


def _openai_body(r: Reply, model: str) -> dict[str, Any]:
    return {
        'id': 'chatcmpl-fake',
        'object': 'chat.completion',
        'created': 1764547200,
        'model': model,
        'choices': [
            {
                'index': 0,
                'finish_reason': r.stop or 'stop',
                'message': {'role': 'assistant', 'content': r.text, 'refusal': r.refusal},
            }
        ],
        'usage': {
            'prompt_tokens': r.input_tokens,
            'completion_tokens': r.output_tokens,
            'total_tokens': r.input_tokens + r.output_tokens,
        },
    }


def _handler(fake: FakeModels) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get('content-length') or 0)
            body = json.loads(self.rfile.read(length) or b'{}')
            fake.seen.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            if self.path not in ('/v1/messages', '/v1/chat/completions'):
                return self._send(404, {'error': {'type': 'not_found', 'message': self.path}})
            r = fake.next()
            if r.status != 200:
                kind = 'rate_limit_error' if r.status == 429 else 'api_error'
                return self._send(
                    r.status, {'type': 'error', 'error': {'type': kind, 'message': 'fake'}}, r.headers
                )
            if r.raw is not None:
                self.send_response(200)
                self.send_header('content-type', r.content_type)
                self.send_header('content-length', str(len(r.raw)))
                self.end_headers()
                self.wfile.write(r.raw)
                return
            model = r.model or str(body.get('model'))
            data = _anthropic_body(r, model) if self.path == '/v1/messages' else _openai_body(r, model)
            self._send(200, data, r.headers, truncated=r.truncated)

        def _send(
            self, status: int, data: Any, headers: tuple[tuple[str, str], ...] = (), truncated: bool = False
        ) -> None:
            raw = json.dumps(data).encode()
            self.send_response(status)
            self.send_header('content-type', 'application/json')
            self.send_header('content-length', str(len(raw)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            if truncated:
                self.wfile.write(raw[: len(raw) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(raw)

    return Handler


@pytest.fixture
def models() -> Iterator[FakeModels]:
    fake = FakeModels().start()
    try:
        yield fake
    finally:
        fake.stop()
