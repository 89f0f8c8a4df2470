/* The protocol commands of the floats note implemented so far: float_info.
 * (repr, sum and fsum join here.) */
#ifndef PYNOTES_REF_FLOATS_FLOATS_COMMAND_H_
#define PYNOTES_REF_FLOATS_FLOATS_COMMAND_H_

#include <stddef.h>

#include "ref/protocol/command.h"

extern const pn_command pn_floats_commands[];
extern const size_t pn_floats_command_count;

#endif /* PYNOTES_REF_FLOATS_FLOATS_COMMAND_H_ */
