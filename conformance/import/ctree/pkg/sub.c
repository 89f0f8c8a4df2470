/* Mirror of golden/import/pytree/pkg/sub.py: a submodule. */
#include "ref/import/pn_module.h"

int PyInit_sub(const pn_module_api *api, pn_module *module);

static void where(const long long *args, pn_result *result) {
  (void)args;
  result->kind = PN_RESULT_STR;
  result->str_value = "pkg.sub";
}

int PyInit_sub(const pn_module_api *api, pn_module *module) {
  return api->add_function(module, "where", where, NULL);
}
