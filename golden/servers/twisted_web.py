#!/usr/bin/python3
"""The Twisted note's request-counter web server, reconstructed from issue 9's description.

    /usr/bin/python3 twisted_web.py --port N

The note's program is not in this repository; this is the ``Counter``
resource of Twisted's front-page example as the issue describes it (a leaf
``Resource`` whose ``render_GET`` answers ``I am request #N\\n`` as
text/plain, N counted in memory across requests and connections), served by
``twisted.web.server.Site`` from Debian's python3-twisted 22.4. Only GET is
rendered: HEAD falls back to render_GET (and so counts), other methods get
Twisted's 405 page. It listens on 127.0.0.1 port N (0: any free port), prints
``listening on 127.0.0.1:PORT`` once it accepts connections, and stops with
exit status 0 on SIGTERM or SIGINT.
"""

import argparse
import sys

from twisted.internet import reactor
from twisted.web import resource, server


class Counter(resource.Resource):
    isLeaf = True
    numberRequests = 0

    def render_GET(self, request):
        self.numberRequests += 1
        request.setHeader(b"content-type", b"text/plain")
        content = "I am request #{}\n".format(self.numberRequests)
        return content.encode("ascii")


def main(argv):
    parser = argparse.ArgumentParser(prog="twisted_web.py")
    parser.add_argument("--port", type=int, required=True)
    site = server.Site(Counter())
    port = reactor.listenTCP(parser.parse_args(argv).port, site, interface="127.0.0.1")
    print("listening on 127.0.0.1:%d" % port.getHost().port, flush=True)
    reactor.run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
