"""Half of an import cycle: ping imports pong, which imports ping (mirror: ctree/ping.c)."""
import pong

PING = 1
