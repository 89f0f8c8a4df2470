#include "ref/protocol/target.h"

#include <string.h>

int pn_pointer_size_parse(const char *text, int *pointer_size) {
  if (strcmp(text, "4") == 0 || strcmp(text, "8") == 0) {
    *pointer_size = text[0] - '0';
    return 0;
  }
  return -1;
}
