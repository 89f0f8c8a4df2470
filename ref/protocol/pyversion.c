#include "ref/protocol/pyversion.h"

#include <ctype.h>
#include <stddef.h>

/* Reads a decimal number of at most two digits (versions need no more). */
static const char *read_small_number(const char *p, int *value) {
  if (!isdigit((unsigned char)p[0])) {
    return NULL;
  }
  int n = p[0] - '0';
  p++;
  if (isdigit((unsigned char)p[0])) {
    n = n * 10 + (p[0] - '0');
    p++;
  }
  if (isdigit((unsigned char)p[0])) {
    return NULL;
  }
  *value = n;
  return p;
}

int pn_pyversion_parse(const char *text, pn_pyversion *version) {
  pn_pyversion v;
  const char *p = read_small_number(text, &v.major);
  if (p == NULL || *p != '.') {
    return -1;
  }
  p = read_small_number(p + 1, &v.minor);
  if (p == NULL || *p != '\0') {
    return -1;
  }
  if (pn_pyversion_cmp(v, PN_PYVERSION_OLDEST.major, PN_PYVERSION_OLDEST.minor) < 0 ||
      pn_pyversion_cmp(v, PN_PYVERSION_NEWEST.major, PN_PYVERSION_NEWEST.minor) > 0) {
    return -1;
  }
  *version = v;
  return 0;
}

int pn_pyversion_in(pn_pyversion version, pn_pyversion_range range) {
  return pn_pyversion_cmp(version, range.oldest.major, range.oldest.minor) >= 0 &&
         pn_pyversion_cmp(version, range.newest.major, range.newest.minor) <= 0;
}

int pn_pyversion_cmp(pn_pyversion a, int major, int minor) {
  if (a.major != major) {
    return a.major < major ? -1 : 1;
  }
  if (a.minor != minor) {
    return a.minor < minor ? -1 : 1;
  }
  return 0;
}
