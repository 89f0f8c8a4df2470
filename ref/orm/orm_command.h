/* The protocol commands of the orm note (conformance/PROTOCOL.md):
 * `orm` (one scenario per line, its output on one line) and the program
 * `orm-note --db PATH [--echo]`. */
#ifndef PYNOTES_REF_ORM_ORM_COMMAND_H_
#define PYNOTES_REF_ORM_ORM_COMMAND_H_

#include <stddef.h>

#include "ref/protocol/command.h"

extern const pn_command pn_orm_commands[];
extern const size_t pn_orm_command_count;

#endif /* PYNOTES_REF_ORM_ORM_COMMAND_H_ */
