/* Mirror of golden/import/pytree/pkg/bad.py: a submodule whose initialiser fails. */
#include "ref/import/pn_module.h"

int PyInit_bad(const pn_module_api *api, pn_module *module);

int PyInit_bad(const pn_module_api *api, pn_module *module) {
  return api->raise(module, "ValueError", "bad submodule");
}
