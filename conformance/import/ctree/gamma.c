/* Mirror of golden/import/pytree/gamma.py: imports alpha while it initialises. */
#include "ref/import/pn_module.h"

int PyInit_gamma(const pn_module_api *api, pn_module *module);

static void twice(const long long *args, pn_result *result) {
  result->kind = PN_RESULT_INT;
  result->int_value = 2 * args[0];
}

int PyInit_gamma(const pn_module_api *api, pn_module *module) {
  static const char *const kParams[] = {"n", NULL};
  if (api->import_name(module, "alpha", "alpha", 0, NULL) != 0 ||
      api->add_function(module, "twice", twice, kParams) != 0) {
    return -1;
  }
  return 0;
}
