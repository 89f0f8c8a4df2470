#define _POSIX_C_SOURCE 200809L

#include "conformance/harness/declared.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *ct_declared_kind(void) {
  const char *kind = getenv("PYNOTES_IMPL_KIND");
  return kind != NULL && kind[0] != '\0' ? kind : "cpython";
}

/* A version newer than any a golden file names (3.15) is accepted: it is
 * checked on the cases whose range is open at the top. */
int ct_declared_minor(void) {
  enum { kDefaultMinor = 11 };
  const char *python = getenv("PYNOTES_PYTHON");
  if (python == NULL || python[0] == '\0') {
    return kDefaultMinor;
  }
  char *end = NULL;
  long minor = strncmp(python, "3.", 2) == 0 && python[2] >= '0' && python[2] <= '9'
                   ? strtol(python + 2, &end, 10)
                   : -1;
  if (end == NULL || *end != '\0' || minor < PN_GOLDEN_OLDEST_MINOR ||
      minor >= PN_GOLDEN_OPEN_MINOR || (python[2] == '0' && python[3] != '\0')) {
    return -1;
  }
  return (int)minor;
}

const char *ct_declared_python(void) {
  static char text[16];
  snprintf(text, sizeof text, "3.%d", ct_declared_minor());
  return text;
}

const char *ct_declared_python_option(void) {
  static char option[32];
  snprintf(option, sizeof option, "--python=%s", ct_declared_python());
  return option;
}

const char *ct_declared_pointer_size(void) {
  const char *size = getenv("PYNOTES_POINTER_SIZE");
  return size != NULL && size[0] != '\0' ? size : "8";
}

/* block's own value of key, else header's (both marked read). */
static const char *own_or_header_value(pn_golden_block *block, pn_golden_block *header,
                                       const char *key) {
  const char *from_header = pn_golden_value(header, key);
  const char *own = block != NULL ? pn_golden_value(block, key) : NULL;
  return own != NULL ? own : from_header;
}

bool ct_holds(pn_golden_block *block, pn_golden_block *header, pn_strbuf *why) {
  const char *impl_only = block != NULL ? pn_golden_value(block, "Impl") : NULL;
  if (impl_only != NULL && strcmp(impl_only, ct_declared_kind()) != 0) {
    pn_strbuf_printf(why, "holds only for %s (Impl = %s); checking %s", impl_only, impl_only,
                     ct_declared_kind());
    return false;
  }
  int minor = ct_declared_minor();
  const char *python = own_or_header_value(block, header, "Python");
  pn_python_range range = {PN_GOLDEN_OLDEST_MINOR, PN_GOLDEN_OPEN_MINOR};
  /* The reader checked every Python value; a file without one holds for all. */
  if (python != NULL) {
    (void)pn_golden_parse_python_range(python, &range);
  }
  if (!pn_python_range_contains(range, minor)) {
    pn_strbuf_printf(why, "holds for Python %s; checking Python 3.%d", python, minor);
    return false;
  }
  const char *pointer_size = own_or_header_value(block, header, "Pointer-Size");
  if (pointer_size != NULL && strcmp(pointer_size, ct_declared_pointer_size()) != 0) {
    pn_strbuf_printf(why, "holds for %s-byte pointers (Pointer-Size = %s); checking %s-byte",
                     pointer_size, pointer_size, ct_declared_pointer_size());
    return false;
  }
  return true;
}
