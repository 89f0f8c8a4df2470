"""The other half of the cycle (mirror: ctree/pong.c)."""
import ping

PONG = 2
