/* Mirror of golden/import/pytree/ping.py: half of an import cycle. */
#include "ref/import/pn_module.h"

int PyInit_ping(const pn_module_api *api, pn_module *module);

int PyInit_ping(const pn_module_api *api, pn_module *module) {
  if (api->import_name(module, "pong", "pong", 0, NULL) != 0 ||
      api->add_int(module, "PING", 1) != 0) {
    return -1;
  }
  return 0;
}
