#include <stdarg.h>

#include "ref/protocol/command.h"

int pn_answer_exception(pn_strbuf *out, const char *type_name, const char *format, ...) {
  pn_strbuf message = PN_STRBUF_INIT;
  va_list args;
  va_start(args, format);
  int rc = pn_strbuf_vprintf(&message, format, args);
  va_end(args);
  /* CPython prints a bare `TypeName` when the message is empty. */
  if (rc == 0) {
    rc = pn_strbuf_printf(out, message.len > 0 ? "%s: " : "%s", type_name);
  }
  for (size_t i = 0; rc == 0 && i < message.len; i++) {
    char c = message.data[i];
    if (c == '\n') {
      rc = pn_strbuf_puts(out, "\\n");
    } else if (c == '\\') {
      rc = pn_strbuf_puts(out, "\\\\");
    } else {
      rc = pn_strbuf_append(out, &c, 1);
    }
  }
  pn_strbuf_free(&message);
  return rc;
}
