/* Mirror of golden/import/pytree/pkg/sibling.py: from . import sub */
#include "ref/import/pn_module.h"

int PyInit_sibling(const pn_module_api *api, pn_module *module);

int PyInit_sibling(const pn_module_api *api, pn_module *module) {
  return api->import_name(module, "sub", "", 1, "sub");
}
