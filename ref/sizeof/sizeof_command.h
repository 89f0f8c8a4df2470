/* The protocol command of the sizeof note: getsizeof (one literal or listed
 * construction per line, sys.getsizeof of its value per line). */
#ifndef PYNOTES_REF_SIZEOF_SIZEOF_COMMAND_H_
#define PYNOTES_REF_SIZEOF_SIZEOF_COMMAND_H_

#include <stddef.h>

#include "ref/protocol/command.h"

extern const pn_command pn_sizeof_commands[];
extern const size_t pn_sizeof_command_count;

#endif /* PYNOTES_REF_SIZEOF_SIZEOF_COMMAND_H_ */
