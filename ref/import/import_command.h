/* The protocol commands of the import note: the batch command `import` (one
 * line of __import__ steps per case, conformance/PROTOCOL.md) and the program
 * `embed MODULE` (an interactive shell, ref/import/embed.h). Both search the
 * folders of the environment variable PYREF_PATH. */
#ifndef PYNOTES_REF_IMPORT_IMPORT_COMMAND_H_
#define PYNOTES_REF_IMPORT_IMPORT_COMMAND_H_

#include <stddef.h>

#include "ref/protocol/command.h"

extern const pn_command pn_import_commands[];
extern const size_t pn_import_command_count;

#endif /* PYNOTES_REF_IMPORT_IMPORT_COMMAND_H_ */
