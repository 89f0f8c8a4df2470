/* Mirror of golden/import/pytree/pkg/inner/deep.py: from .. import sub */
#include "ref/import/pn_module.h"

int PyInit_deep(const pn_module_api *api, pn_module *module);

static void depth(const long long *args, pn_result *result) {
  (void)args;
  result->kind = PN_RESULT_INT;
  result->int_value = 3;
}

int PyInit_deep(const pn_module_api *api, pn_module *module) {
  if (api->import_name(module, "sub", "", 2, "sub") != 0 ||
      api->add_function(module, "depth", depth, NULL) != 0) {
    return -1;
  }
  return 0;
}
