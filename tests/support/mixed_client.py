#!/usr/bin/env python3
"""Many keep-alive requests of mixed framings through an HTTP proxy, with Python's http.client.

Usage: mixed_client.py PROXY_HOST PROXY_PORT SERVICE REQUESTS CONNECTIONS SEED

Each request is one of: a GET of a Content-Length or chunked body of random size, a POST of a
random body sent with Content-Length, or sent chunked (about 30 %). Every request carries an
X-Request-Id; a response counts as right when it echoes that id and its body is the one asked for
(checked by SHA-256). Prints one line: "right N wrong M" and the first few wrong ones.
"""
import hashlib
import http.client
import random
import sys


def body_of(n):
    return random.Random(n).randbytes(n)


def one(conn, service, rng, request_id):
    size = rng.choice([0, 1, 100, 16383, 16384, 16385, 65536, 65537, rng.randrange(300000)])
    kind = rng.random()
    headers = {"X-Request-Id": request_id}
    if kind < 0.3:
        data = rng.randbytes(size)
        chunks = []
        at = 0
        while at < len(data):
            step = rng.choice([1, 7, 1000, 20000, 70000])
            chunks.append(data[at:at + step])
            at += step
        conn.request("POST", "http://%s/sha" % service, body=iter(chunks), headers=headers, encode_chunked=True)
        expected = b"%d %s" % (len(data), hashlib.sha256(data).hexdigest().encode())
    elif kind < 0.5:
        data = rng.randbytes(size)
        conn.request("POST", "http://%s/sha" % service, body=data, headers=headers)
        expected = b"%d %s" % (len(data), hashlib.sha256(data).hexdigest().encode())
    else:
        mode = rng.choice(["length", "chunked"])
        conn.request("GET", "http://%s/bytes/%d?mode=%s&chunk=%d" % (service, size, mode, rng.choice([0, 1, 5000])),
                     headers=headers)
        expected = body_of(size)
    response = conn.getresponse()
    got = response.read()
    ok = response.status == 200 and response.getheader("X-Request-Id") == request_id and got == expected
    return ok, "%s status %d id %s got %d bytes" % (request_id, response.status, response.getheader("X-Request-Id"), len(got))


def main():
    host, port, service, requests, connections, seed = sys.argv[1:7]
    rng = random.Random(int(seed))
    conns = [http.client.HTTPConnection(host, int(port), timeout=30) for _ in range(int(connections))]
    right, wrong, notes = 0, 0, []
    for i in range(int(requests)):
        conn = conns[i % len(conns)]
        try:
            ok, note = one(conn, service, rng, "r%d" % i)
        except (http.client.HTTPException, OSError) as problem:
            ok, note = False, "r%d: %s" % (i, problem)
            conn.close()
        if ok:
            right += 1
        else:
            wrong += 1
            notes.append(note)
    print("right %d wrong %d %s" % (right, wrong, "; ".join(notes[:5])))


if __name__ == "__main__":
    main()
