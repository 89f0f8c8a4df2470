/* The protocol command of the greenlets note: `greenlets`, one scenario line
 * in, its answer line out (conformance/PROTOCOL.md, "Greenlet scenarios"). */
#ifndef PYNOTES_REF_GREENLETS_GREENLETS_COMMAND_H_
#define PYNOTES_REF_GREENLETS_GREENLETS_COMMAND_H_

#include <stddef.h>

#include "ref/protocol/command.h"

extern const pn_command pn_greenlets_commands[];
extern const size_t pn_greenlets_command_count;

#endif /* PYNOTES_REF_GREENLETS_GREENLETS_COMMAND_H_ */
