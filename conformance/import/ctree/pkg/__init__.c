/* Mirror of golden/import/pytree/pkg/__init__.py: a package. */
#include "ref/import/pn_module.h"

int PyInit_pkg(const pn_module_api *api, pn_module *module);

int PyInit_pkg(const pn_module_api *api, pn_module *module) {
  return api->add_int(module, "VERSION", 1);
}
