/* Mirror of golden/import/pytree/failing.py: functions that raise. */
#include "ref/import/pn_module.h"

int PyInit_failing(const pn_module_api *api, pn_module *module);

/* Python's floor division a // b (arguments stay far from LLONG_MIN). */
static void divide(const long long *args, pn_result *result) {
  long long a = args[0], b = args[1];
  if (b == 0) {
    result->kind = PN_RESULT_EXCEPTION;
    result->exc_type = "ZeroDivisionError";
    result->exc_message = "integer division or modulo by zero";
    return;
  }
  long long q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) {
    q--;
  }
  result->kind = PN_RESULT_INT;
  result->int_value = q;
}

static void fail(const long long *args, pn_result *result) {
  (void)args;
  result->kind = PN_RESULT_EXCEPTION;
  result->exc_type = "ValueError";
  result->exc_message = "failed on purpose";
}

int PyInit_failing(const pn_module_api *api, pn_module *module) {
  static const char *const kDivideParams[] = {"a", "b", NULL};
  if (api->add_function(module, "divide", divide, kDivideParams) != 0 ||
      api->add_function(module, "fail", fail, NULL) != 0) {
    return -1;
  }
  return 0;
}
