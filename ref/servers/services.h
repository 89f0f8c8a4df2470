/* The servers note's three services (Twisted's front-page programs). */
#ifndef PYNOTES_REF_SERVERS_SERVICES_H_
#define PYNOTES_REF_SERVERS_SERVICES_H_

#include "ref/servers/conn.h"

/* Writes back every byte it receives. */
extern const pn_service pn_echo_service;
/* The request counter: `I am request #N\n` as text/plain (http_channel.h). */
extern const pn_service pn_web_service;
/* Broadcasts each "\r\n" line to every client with the server's address. */
extern const pn_service pn_pubsub_service;

#endif /* PYNOTES_REF_SERVERS_SERVICES_H_ */
