/* The protocol commands of the Newton note: `newton` (the note's script) and
 * `newton_math` (its variant with `import math`), one expression per line,
 * the script's output or exception line per line. */
#ifndef PYNOTES_REF_NEWTON_NEWTON_COMMAND_H_
#define PYNOTES_REF_NEWTON_NEWTON_COMMAND_H_

#include <stddef.h>

#include "ref/protocol/command.h"

extern const pn_command pn_newton_commands[];
extern const size_t pn_newton_command_count;

#endif /* PYNOTES_REF_NEWTON_NEWTON_COMMAND_H_ */
