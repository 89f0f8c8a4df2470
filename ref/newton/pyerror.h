/*
 * A Python exception as the Newton evaluator raises it: the class's bare name
 * and its message, which become the traceback's last line.
 */
#ifndef PYNOTES_REF_NEWTON_PYERROR_H_
#define PYNOTES_REF_NEWTON_PYERROR_H_

#define PN_ERROR_MESSAGE_MAX 320

typedef struct pn_error {
  const char *type; /* NULL while nothing is raised */
  char message[PN_ERROR_MESSAGE_MAX];
} pn_error;

/* Sets the exception (type must be a string literal; an empty message prints
 * just the type). Always returns -1, so callers can `return pn_raise(...)`. */
int pn_raise(pn_error *error, const char *type, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* PYNOTES_REF_NEWTON_PYERROR_H_ */
