/* Mirror of golden/import/pytree/pkg/inner/__init__.py: a package in a package. */
#include "ref/import/pn_module.h"

int PyInit_inner(const pn_module_api *api, pn_module *module);

int PyInit_inner(const pn_module_api *api, pn_module *module) {
  return api->add_int(module, "DEPTH", 2);
}
