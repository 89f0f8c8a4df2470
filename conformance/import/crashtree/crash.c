/* A module whose initialiser crashes (a write through a null pointer): the
 * embed shell must report it and go on. Not in the Python tree: CPython has
 * no answer to mirror. */
#include <stddef.h>

#include "ref/import/pn_module.h"

int PyInit_crash(const pn_module_api *api, pn_module *module);

int PyInit_crash(const pn_module_api *api, pn_module *module) {
  volatile int *nowhere = NULL;
  *nowhere = 1;
  return api->add_int(module, "UNREACHABLE", 0);
}
