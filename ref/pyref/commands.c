#include "ref/pyref/commands.h"

#include <string.h>

#include "ref/floats/floats_command.h"
#include "ref/greenlets/greenlets_command.h"
#include "ref/hashes/hashes_command.h"
#include "ref/import/import_command.h"
#include "ref/newton/newton_command.h"
#include "ref/orm/orm_command.h"
#include "ref/servers/servers_command.h"
#include "ref/sizeof/sizeof_command.h"
#include "ref/sympy/sympy_command.h"
#include "ref/window/window_command.h"

/* One row per note; a note adds its table here. */
static const struct {
  const pn_command *commands;
  const size_t *count;
} kNotes[] = {
    {pn_floats_commands, &pn_floats_command_count},
    {pn_greenlets_commands, &pn_greenlets_command_count},
    {pn_hashes_commands, &pn_hashes_command_count},
    {pn_import_commands, &pn_import_command_count},
    {pn_sizeof_commands, &pn_sizeof_command_count},
    {pn_newton_commands, &pn_newton_command_count},
    {pn_orm_commands, &pn_orm_command_count},
    {pn_servers_commands, &pn_servers_command_count},
    {pn_sympy_commands, &pn_sympy_command_count},
    {pn_window_commands, &pn_window_command_count},
};

void pn_command_each(void (*visit)(const pn_command *command, void *context), void *context) {
  for (size_t i = 0; i < sizeof kNotes / sizeof kNotes[0]; i++) {
    for (size_t j = 0; j < *kNotes[i].count; j++) {
      visit(&kNotes[i].commands[j], context);
    }
  }
}

const pn_command *pn_command_find(const char *name) {
  for (size_t i = 0; i < sizeof kNotes / sizeof kNotes[0]; i++) {
    for (size_t j = 0; j < *kNotes[i].count; j++) {
      if (strcmp(kNotes[i].commands[j].name, name) == 0) {
        return &kNotes[i].commands[j];
      }
    }
  }
  return NULL;
}
