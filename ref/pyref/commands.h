/* Every protocol command the C reference answers, by name. */
#ifndef PYNOTES_REF_PYREF_COMMANDS_H_
#define PYNOTES_REF_PYREF_COMMANDS_H_

#include "ref/protocol/command.h"

/* Returns the command called `name`, or NULL when the reference has none. */
const pn_command *pn_command_find(const char *name);

/* Calls visit(command, context) for each command, in a stable order. */
void pn_command_each(void (*visit)(const pn_command *command, void *context), void *context);

#endif /* PYNOTES_REF_PYREF_COMMANDS_H_ */
