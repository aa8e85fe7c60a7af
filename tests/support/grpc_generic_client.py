"""grpcio's own client against an HTTP/2 server under test, with no generated code: unary calls
whose messages are raw bytes. Prints one line per call: "ok <bytes> echoed" when the reply equals
the request, or "status <CODE> <details>" for a call that failed with a status.

Usage: /usr/bin/python3 grpc_generic_client.py HOST:PORT
(Debian's python3, whose dist-packages hold python3-grpcio.)
"""
import sys

import grpc


def call(channel, method, payload):
    stub = channel.unary_unary(method, request_serializer=None, response_deserializer=None)
    try:
        reply = stub(payload, timeout=10)
        print("ok %d %s" % (len(payload), "echoed" if reply == payload else "differs"))
    except grpc.RpcError as error:
        print("status %s %s" % (error.code().name, error.details()))


def main():
    with grpc.insecure_channel(sys.argv[1]) as channel:
        call(channel, "/test.Echo/Call", b"hello")
        call(channel, "/test.Echo/Call", bytes(range(256)) * 4096)
        call(channel, "/test.Echo/Fail", b"x")


if __name__ == "__main__":
    main()
