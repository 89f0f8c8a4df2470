#include "conformance/floats/float_info_field.h"

#include <string.h>

const char *pn_float_info_field(const char *line, const char *name, size_t *len) {
  static const char kModule[] = "sys.";
  static const char kPrefix[] = "float_info(";
  if (strncmp(line, kModule, sizeof kModule - 1) == 0) {
    line += sizeof kModule - 1;
  }
  if (strncmp(line, kPrefix, sizeof kPrefix - 1) != 0) {
    return NULL;
  }
  size_t name_len = strlen(name);
  const char *p = line + sizeof kPrefix - 1;
  while (*p != '\0') {
    const char *end = p + strcspn(p, ",)");
    if (strncmp(p, name, name_len) == 0 && p[name_len] == '=') {
      *len = (size_t)(end - (p + name_len + 1));
      return p + name_len + 1;
    }
    if (*end != ',') {
      break;
    }
    p = end + (end[1] == ' ' ? 2 : 1);
  }
  return NULL;
}
