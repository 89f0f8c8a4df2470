#!/usr/bin/python3
"""The Twisted note's line broadcaster, reconstructed from issue 9's description.

    /usr/bin/python3 twisted_pubsub.py --port N

The note's program is not in this repository; this is the publish/subscribe
server of Twisted's front-page example as the issue describes it: a
``LineReceiver`` (``\\r\\n`` lines, MAX_LENGTH 16384) that sends every line it
receives to every connected client, prefixed with ``<`` + the server
transport's ``getHost()`` + ``> `` (``<IPv4Address(type='TCP',
host='127.0.0.1', port=1025)> hello``), for Debian's python3-twisted 22.4. It
listens on 127.0.0.1 port N (0: any free port), prints ``listening on
127.0.0.1:PORT`` once it accepts connections, and stops with exit status 0 on
SIGTERM or SIGINT.
"""

import argparse
import sys

from twisted.internet import protocol, reactor
from twisted.protocols import basic


class PubProtocol(basic.LineReceiver):
    def __init__(self, factory):
        self.factory = factory

    def connectionMade(self):
        self.factory.clients.add(self)

    def connectionLost(self, reason):
        self.factory.clients.remove(self)

    def lineReceived(self, line):
        for c in self.factory.clients:
            source = "<{}> ".format(self.transport.getHost()).encode("ascii")
            c.sendLine(source + line)


class PubFactory(protocol.Factory):
    def __init__(self):
        self.clients = set()

    def buildProtocol(self, addr):
        return PubProtocol(self)


def main(argv):
    parser = argparse.ArgumentParser(prog="twisted_pubsub.py")
    parser.add_argument("--port", type=int, required=True)
    port = reactor.listenTCP(parser.parse_args(argv).port, PubFactory(), interface="127.0.0.1")
    print("listening on 127.0.0.1:%d" % port.getHost().port, flush=True)
    reactor.run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
