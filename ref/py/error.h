/*
 * A Python exception as a reference implementation raises it: the class's
 * bare name and its message, which become the traceback's last line.
 */
#ifndef PYNOTES_REF_PY_ERROR_H_
#define PYNOTES_REF_PY_ERROR_H_

#define PY_ERROR_MESSAGE_MAX 320

typedef struct py_error {
  const char *type; /* NULL while nothing is raised */
  char message[PY_ERROR_MESSAGE_MAX];
} py_error;

#define PY_ERROR_INIT \
  { NULL, "" }

/* Sets the exception, replacing any earlier one (type must be a string
 * literal; an empty message prints just the type; a longer message than
 * PY_ERROR_MESSAGE_MAX - 1 bytes is cut). Always returns -1, so callers can
 * `return py_raise(...)`. */
int py_raise(py_error *error, const char *type, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* PYNOTES_REF_PY_ERROR_H_ */
