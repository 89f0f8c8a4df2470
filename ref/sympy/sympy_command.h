/* The protocol command of the sympy note: `sympy` (one interactive session
 * per process, one answer line per input line). */
#ifndef PYNOTES_REF_SYMPY_SYMPY_COMMAND_H_
#define PYNOTES_REF_SYMPY_SYMPY_COMMAND_H_

#include <stddef.h>

#include "ref/protocol/command.h"

extern const pn_command pn_sympy_commands[];
extern const size_t pn_sympy_command_count;

#endif /* PYNOTES_REF_SYMPY_SYMPY_COMMAND_H_ */
