#!/usr/bin/python3
"""The Twisted note's web server (a request counter): the notebook's code, for Debian's python3-twisted 22.4.

    /usr/bin/python3 twisted_web.py --port N

The note's code is unchanged except for what a test needs:

1. this docstring, ``import sys``, ``ENDPOINT`` and ``announce`` above the
   note's imports;
2. the endpoint: the note's "tcp:8080" becomes ``ENDPOINT``, port N from the
   command line (0: any free port) on 127.0.0.1 only, and the listening
   Deferred's callback prints ``listening on 127.0.0.1:PORT`` once it
   accepts connections (how the harness learns the port).

It stops with exit status 0 on SIGTERM or SIGINT through the reactor's own
signal handlers, as the note's program does.
"""
import sys

ENDPOINT = "tcp:%d:interface=127.0.0.1" % int(sys.argv[sys.argv.index("--port") + 1])


def announce(port):
    print("listening on 127.0.0.1:%d" % port.getHost().port, flush=True)


from twisted.web import server, resource
from twisted.internet import reactor, endpoints

# object persistent beteween requests in memory, test with curl get


class Counter(resource.Resource):

    isLeaf = True
    numberRequests = 0

    def render_GET(self, request):
        self.numberRequests += 1
        request.setHeader(b"content-type", b"text/plain")
        content = u"I am request #{}\n".format(self.numberRequests)
        return content.encode("ascii")


endpoints.serverFromString(reactor, ENDPOINT).listen(server.Site(Counter())).addCallback(announce)
reactor.run()                  
