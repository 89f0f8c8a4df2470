/* Mirror of golden/import/pytree/pong.py: the other half of the cycle. */
#include "ref/import/pn_module.h"

int PyInit_pong(const pn_module_api *api, pn_module *module);

int PyInit_pong(const pn_module_api *api, pn_module *module) {
  if (api->import_name(module, "ping", "ping", 0, NULL) != 0 ||
      api->add_int(module, "PONG", 2) != 0) {
    return -1;
  }
  return 0;
}
