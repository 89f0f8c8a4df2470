/* Mirror of golden/import/pytree/broken.py: the initialiser fails. */
#include "ref/import/pn_module.h"

int PyInit_broken(const pn_module_api *api, pn_module *module);

int PyInit_broken(const pn_module_api *api, pn_module *module) {
  return api->raise(module, "RuntimeError", "broken on purpose");
}
