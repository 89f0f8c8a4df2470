#!/usr/bin/python3
"""The Twisted note's echo server, reconstructed from issue 9's description.

    /usr/bin/python3 twisted_echo.py --port N

The note's program is not in this repository; this is the echo server of
Twisted's front-page example (an ``Echo`` Protocol whose ``dataReceived``
writes back what it gets) as the issue describes it, for Debian's
python3-twisted 22.4. It listens on 127.0.0.1 port N (0: any free port),
prints ``listening on 127.0.0.1:PORT`` once it accepts connections, and stops
with exit status 0 on SIGTERM or SIGINT (the reactor's own signal handlers).
"""

import argparse
import sys

from twisted.internet import protocol, reactor


class Echo(protocol.Protocol):
    def dataReceived(self, data):
        self.transport.write(data)


class EchoFactory(protocol.Factory):
    def buildProtocol(self, addr):
        return Echo()


def main(argv):
    parser = argparse.ArgumentParser(prog="twisted_echo.py")
    parser.add_argument("--port", type=int, required=True)
    port = reactor.listenTCP(parser.parse_args(argv).port, EchoFactory(), interface="127.0.0.1")
    print("listening on 127.0.0.1:%d" % port.getHost().port, flush=True)
    reactor.run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
