/*
 * The floats note. Files whose Command is a line command (repr, sum, fsum)
 * run as plain line cases; float_info files run here.
 *
 * sys.float_info: the golden cases (the whole line, and each field by its
 * `Field` key: the field's text in the answer must be Output, and for floats
 * its bits Output-Hex). The reference's values are checked against MPFR in
 * ref/floats/float_info_test.c.
 */
#include <stdlib.h>
#include <string.h>

#include "conformance/floats/float_info_field.h"
#include "conformance/harness/golden_suite.h"

static void run_floats_case(ct_case *c) {
  if (strcmp(pn_golden_value(ct_case_header(c), "Command"), "float_info") != 0) {
    ct_run_line_case(c);
    return;
  }
  const char *field = ct_case_value(c, "Field");
  pn_strbuf answer = PN_STRBUF_INIT;
  if (ct_case_ask(c, NULL, 0, &answer) == 0) {
    const char *line = answer.data ? answer.data : "";
    if (field == NULL) {
      ct_case_expect_output(c, line, answer.len);
    } else {
      size_t len = 0;
      const char *value = pn_float_info_field(line, field, &len);
      if (value == NULL) {
        ct_case_fail(c, "no field '%s' in the answer '%s'", field, line);
      } else {
        char *text = strndup(value, len);
        ct_case_expect_output(c, text, len);
        free(text);
      }
    }
  }
  pn_strbuf_free(&answer);
}

CT_GOLDEN_SUITE(floats, "golden/floats", run_floats_case)
