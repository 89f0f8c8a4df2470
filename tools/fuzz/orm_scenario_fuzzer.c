/* libFuzzer target: any `orm` scenario line parses into steps or is refused
 * with a one-line ScenarioError message, without a crash or a leak. (The
 * parser alone: running steps writes files and may insert 100,000 rows.) */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ref/orm/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  pn_orm_scenario scenario;
  pn_strbuf problem = PN_STRBUF_INIT;
  int rc = pn_orm_scenario_parse((const char *)data, size, &scenario, &problem);
  if (rc == 0) {
    for (size_t i = 0; i < scenario.count; i++) {
      if (scenario.steps[i].count == 0) {
        __builtin_trap(); /* an empty step must be refused */
      }
    }
    pn_orm_scenario_free(&scenario);
  } else if (rc == 1 && (problem.len == 0 || memchr(problem.data, '\n', problem.len) != NULL)) {
    __builtin_trap(); /* the message must be one non-empty line */
  }
  pn_strbuf_free(&problem);
  return 0;
}
