#include "ref/py/error.h"

#include <stdarg.h>
#include <stdio.h>

int py_raise(py_error *error, const char *type, const char *format, ...) {
  va_list args;
  va_start(args, format);
  error->type = type;
  vsnprintf(error->message, sizeof error->message, format, args);
  va_end(args);
  return -1;
}
