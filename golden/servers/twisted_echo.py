#!/usr/bin/python3
"""The Twisted note's echo server: the notebook's code, for Debian's python3-twisted 22.4.

    /usr/bin/python3 twisted_echo.py --port N

The note's code is unchanged except for what a test needs:

1. this docstring, ``import sys``, ``ENDPOINT`` and ``announce`` above the
   note's imports;
2. the endpoint: the note's "tcp:1234" becomes ``ENDPOINT``, port N from the
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


from twisted.internet import protocol, reactor, endpoints


class Echo(protocol.Protocol):
    def dataReceived(self, data):
        self.transport.write(data)

class EchoFactory(protocol.Factory):
    def buildProtocol(self, addr):
        return Echo()


# starts tcp server at 1234 , can be tested with netcat
endpoints.serverFromString(reactor, ENDPOINT).listen(EchoFactory()).addCallback(announce)

reactor.run()
