"""grpcio's own client for the mesh's HTTP/2 tests, against grpc_echo_server.py through meshd.
Messages are raw bytes; each mode prints one line.

Usage: /usr/bin/python3 grpc_mesh_client.py HOST:PORT MODE [N]
  count N  N calls of Call on one channel: "LABEL=COUNT ..." sorted, and "failed=K" if any failed
  big      one 1 MiB message: "big ok" when it came back whole after the label
  who      "who ID": the caller's identity the server was told
  fail     "status CODE details" of Fail
  slow     "status CODE" of Slow, or "ok" when it succeeded
"""
import collections
import sys

import grpc


def stub(channel, method):
    return channel.unary_unary("/test.Echo/" + method, request_serializer=None,
                               response_deserializer=None)


def main():
    address, mode = sys.argv[1], sys.argv[2]
    with grpc.insecure_channel(address) as channel:
        if mode == "count":
            counts = collections.Counter()
            call = stub(channel, "Call")
            for _ in range(int(sys.argv[3])):
                try:
                    counts[call(b"x", timeout=10).split(b" ")[0].decode()] += 1
                except grpc.RpcError:
                    counts["failed"] += 1
            print(" ".join("%s=%d" % item for item in sorted(counts.items())))
        elif mode == "big":
            payload = bytes(range(256)) * 4096
            reply = stub(channel, "Call")(payload, timeout=20)
            print("big ok" if reply.endswith(b" " + payload) else "big differs")
        elif mode == "who":
            print("who " + stub(channel, "Who")(b"", timeout=10).decode())
        else:
            try:
                stub(channel, "Fail" if mode == "fail" else "Slow")(b"x", timeout=10)
                print("ok")
            except grpc.RpcError as error:
                print(("status %s %s" % (error.code().name, error.details())).strip()
                      if mode == "fail" else "status " + error.code().name)


if __name__ == "__main__":
    main()
