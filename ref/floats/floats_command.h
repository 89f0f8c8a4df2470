/* The protocol commands of the floats note: float_info, repr, sum, fsum
 * (conformance/PROTOCOL.md says how their lines are read). */
#ifndef PYNOTES_REF_FLOATS_FLOATS_COMMAND_H_
#define PYNOTES_REF_FLOATS_FLOATS_COMMAND_H_

#include <stddef.h>

#include "ref/protocol/command.h"

extern const pn_command pn_floats_commands[];
extern const size_t pn_floats_command_count;

#endif /* PYNOTES_REF_FLOATS_FLOATS_COMMAND_H_ */
