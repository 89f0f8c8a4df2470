/* Mirror of golden/import/pytree/needsmissing.py: imports a module that does not exist. */
#include "ref/import/pn_module.h"

int PyInit_needsmissing(const pn_module_api *api, pn_module *module);

int PyInit_needsmissing(const pn_module_api *api, pn_module *module) {
  return api->import_name(module, "missing_dependency", "missing_dependency", 0, NULL);
}
