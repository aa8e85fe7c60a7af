"""A gRPC server built on grpcio's own server, with no generated code (messages are raw bytes),
for the mesh's HTTP/2 tests: the workload behind meshd.

Usage: /usr/bin/python3 grpc_echo_server.py PORT LABEL
Methods of test.Echo:
  Call  replies LABEL, a space, and the request
  Who   replies the l5d-client-id metadata the server got (who meshd says called)
  Fail  fails with NOT_FOUND "no such thing" (a trailers-only response)
  Slow  sleeps 2 s, then replies as Call does
"""
import sys
import time
from concurrent import futures

import grpc

LABEL = sys.argv[2].encode() if len(sys.argv) > 2 else b"echo"


def call(request, context):
    return LABEL + b" " + request


def who(request, context):
    metadata = dict(context.invocation_metadata())
    return metadata.get("l5d-client-id", "").encode()


def fail(request, context):
    context.abort(grpc.StatusCode.NOT_FOUND, "no such thing")


def slow(request, context):
    time.sleep(2)
    return call(request, context)


def main():
    handlers = {
        name: grpc.unary_unary_rpc_method_handler(function)
        for name, function in (("Call", call), ("Who", who), ("Fail", fail), ("Slow", slow))
    }
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("test.Echo", handlers),))
    server.add_insecure_port("127.0.0.1:%s" % sys.argv[1])
    server.start()
    server.wait_for_termination()


if __name__ == "__main__":
    main()
