#!/usr/bin/python3
"""The Twisted note's broadcast server: the notebook's code, for Debian's python3-twisted 22.4.

    /usr/bin/python3 twisted_pubsub.py --port N

The note's code is unchanged except for what a test needs:

1. this docstring, ``import sys``, ``ENDPOINT`` and ``announce`` above the
   note's imports;
2. the endpoint: the note's "tcp:1025" becomes ``ENDPOINT``, port N from the
   command line (0: any free port) on 127.0.0.1 only, and the listening
   Deferred's callback prints ``listening on 127.0.0.1:PORT`` once it
   accepts connections (how the harness learns the port).

It stops with exit status 0 on SIGTERM or SIGINT through the reactor's own
signal handlers, as the note's program does.

As in the note, PubProtocol has no connectionLost: a client that left stays in
the factory's set, and a line sent to it is dropped by its closed transport.
The prefix is ``"<{}>".format(self.transport.getHost())`` with no space before
the line (``<IPv4Address(type='TCP', host='127.0.0.1', port=1025)>hello``).
"""
import sys

ENDPOINT = "tcp:%d:interface=127.0.0.1" % int(sys.argv[sys.argv.index("--port") + 1])


def announce(port):
    print("listening on 127.0.0.1:%d" % port.getHost().port, flush=True)


from twisted.internet import reactor, protocol, endpoints
from twisted.protocols import basic


#every client can see what others are sending(while they are connected), pubsub : use curl to test

class PubProtocol(basic.LineReceiver):

    def __init__(self, factory):
        self.factory = factory

    def connectionMade(self):
        self.factory.clients.add(self)

    def lineReceived(self,line):
        for c in self.factory.clients:
            source = "<{}>".format(self.transport.getHost()).encode('ascii')
            c.sendLine(source + line )





class PubFactory(protocol.Factory):
    def __init__(self):
        self.clients = set()

    def buildProtocol(self, addr):
        return PubProtocol(self)



endpoints.serverFromString(reactor, ENDPOINT).listen(PubFactory()).addCallback(announce)
reactor.run()
