#!/usr/bin/env python3
"""An HTTP/1.1 backend built on Python's http.server, for data-integrity tests of the proxies.

Usage: integrity_backend.py PORT

GET  /bytes/N?mode=length|chunked|trickle&chunk=K   N deterministic bytes; chunked in chunks of K
     (cycling K, 3K+1, ...); trickle sends 100 bytes every 200 ms, 5 times. The header
     X-Body-Sha256 carries the body's SHA-256.
POST|PUT /sha       answers "<length> <sha256>" of the request body (Content-Length or chunked,
     parsed strictly); X-Request-Id is echoed.
GET  /cut/length, /cut/chunked     promises a body, sends part of it, closes.
GET  /badchunk      a chunked response whose first chunk size is no number.
GET  /extra         a Content-Length response followed by bytes nobody asked for.
GET  /headers       the request's header fields, one per line.
GET  /count         how many requests reached this backend.
"""
import hashlib
import http.server
import random
import socket
import sys
import threading
import time
import urllib.parse

count_lock = threading.Lock()
count = 0


def body_of(n):
    return random.Random(n).randbytes(n)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def counted(self):
        global count
        with count_lock:
            count += 1

    def head(self, status, length=None, chunked=False, extra=()):
        self.send_response(status)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        elif length is not None:
            self.send_header("Content-Length", str(length))
        for name, value in extra:
            self.send_header(name, value)
        request_id = self.headers.get("X-Request-Id")
        if request_id:
            self.send_header("X-Request-Id", request_id)
        self.end_headers()

    def do_GET(self):
        self.counted()
        url = urllib.parse.urlparse(self.path)
        query = urllib.parse.parse_qs(url.query)
        if url.path.startswith("/bytes/"):
            self.send_bytes(int(url.path.split("/")[2]), query.get("mode", ["length"])[0], int(query.get("chunk", ["0"])[0]))
        elif url.path == "/cut/length":
            self.head(200, length=100000)
            self.wfile.write(b"x" * 1000)
            self.close_now()
        elif url.path == "/cut/chunked":
            self.head(200, chunked=True)
            self.wfile.write(b"3e8\r\n" + b"x" * 1000 + b"\r\n")
            self.close_now()
        elif url.path == "/badchunk":
            # Head and bad body in one write, so the proxy sees both before it forwards anything.
            self.wfile.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nnot a chunk\r\n0\r\n\r\n")
            self.close_connection = True
        elif url.path == "/extra":
            self.head(200, length=2)
            self.wfile.write(b"ok" + b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nextra")
        elif url.path == "/headers":
            out = "".join("%s: %s\n" % (k, v) for k, v in self.headers.items()).encode()
            self.head(200, length=len(out))
            self.wfile.write(out)
        elif url.path == "/count":
            with count_lock:
                out = str(count).encode()
            self.head(200, length=len(out))
            self.wfile.write(out)
        else:
            self.head(404, length=0)

    def send_bytes(self, n, mode, chunk):
        data = body_of(n)
        digest = [("X-Body-Sha256", hashlib.sha256(data).hexdigest())]
        if mode == "length":
            self.head(200, length=n, extra=digest)
            self.wfile.write(data)
        elif mode == "trickle":
            data = b"t" * 500
            self.head(200, chunked=True, extra=[("X-Body-Sha256", hashlib.sha256(data).hexdigest())])
            for i in range(5):
                self.wfile.write(b"64\r\n" + data[i * 100:(i + 1) * 100] + b"\r\n")
                self.wfile.flush()
                time.sleep(0.2)
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.head(200, chunked=True, extra=digest)
            at, size = 0, max(chunk, 1)
            while at < n:
                piece = data[at:at + size]
                self.wfile.write(b"%x\r\n" % len(piece) + piece + b"\r\n")
                at += len(piece)
                size = size * 3 + 1 if chunk == 0 else size
            self.wfile.write(b"0\r\n\r\n")

    def close_now(self):
        self.wfile.flush()
        self.connection.shutdown(socket.SHUT_RDWR)
        self.close_connection = True

    def read_chunked(self):
        body = bytearray()
        while True:
            line = self.rfile.readline(4100)
            if not line.endswith(b"\r\n"):
                raise ValueError("bad chunk size line")
            size = int(line[:-2].split(b";")[0], 16)
            if size == 0:
                while self.rfile.readline(4100) not in (b"\r\n", b""):
                    pass
                return bytes(body)
            body += self.rfile.read(size)
            if self.rfile.read(2) != b"\r\n":
                raise ValueError("chunk not followed by CRLF")

    def do_POST(self):
        self.counted()
        try:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                body = self.read_chunked()
            else:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        except ValueError as problem:
            out = str(problem).encode()
            self.head(400, length=len(out))
            self.wfile.write(out)
            self.close_connection = True
            return
        out = b"%d %s" % (len(body), hashlib.sha256(body).hexdigest().encode())
        self.head(200, length=len(out))
        self.wfile.write(out)

    do_PUT = do_POST


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


if __name__ == "__main__":
    Server(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
