/* The protocol command of the servers note: `serve NAME --port N`
 * (conformance/PROTOCOL.md), a program command. */
#ifndef PYNOTES_REF_SERVERS_SERVERS_COMMAND_H_
#define PYNOTES_REF_SERVERS_SERVERS_COMMAND_H_

#include <stddef.h>

#include "ref/protocol/command.h"

extern const pn_command pn_servers_commands[];
extern const size_t pn_servers_command_count;

#endif /* PYNOTES_REF_SERVERS_SERVERS_COMMAND_H_ */
