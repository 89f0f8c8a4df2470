/* Mirror of golden/import/pytree/alpha.py: a string, an int and two functions. */
#include "ref/import/pn_module.h"

int PyInit_alpha(const pn_module_api *api, pn_module *module);

static void answer(const long long *args, pn_result *result) {
  (void)args;
  result->kind = PN_RESULT_INT;
  result->int_value = 42;
}

static void add(const long long *args, pn_result *result) {
  result->kind = PN_RESULT_INT;
  result->int_value = args[0] + args[1];
}

int PyInit_alpha(const pn_module_api *api, pn_module *module) {
  static const char *const kAddParams[] = {"a", "b", NULL};
  if (api->add_str(module, "GREETING", "hello") != 0 || api->add_int(module, "ANSWER", 42) != 0 ||
      api->add_function(module, "answer", answer, NULL) != 0 ||
      api->add_function(module, "add", add, kAddParams) != 0) {
    return -1;
  }
  return 0;
}
