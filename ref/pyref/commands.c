#include "ref/pyref/commands.h"

#include <string.h>

#include "ref/notes_table.h"

/* One row per note, in notes.bzl's order. */
static const struct {
  const pn_command *commands;
  const size_t *count;
} kNotes[] = {PN_NOTE_TABLES};

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
