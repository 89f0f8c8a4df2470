#include "ref/import/import_run.h"

#include <stdbool.h>
#include <stdlib.h>

#include "ref/import/import_line.h"
#include "ref/protocol/command.h"

int pn_import_error_answer(const pn_import_error *error, pn_strbuf *out) {
  if (error->type == NULL) {
    return pn_strbuf_puts(out, "MemoryError");
  }
  return pn_answer_exception(out, error->type, "%s", error->message != NULL ? error->message : "");
}

static int names_answer(const pn_module *module, pn_strbuf *out) {
  size_t count = 0;
  const char **names = pn_module_public_names(module, &count);
  if (names == NULL) {
    return -1;
  }
  int rc = pn_strbuf_puts(out, "[");
  for (size_t i = 0; rc == 0 && i < count; i++) {
    rc = pn_strbuf_printf(out, "%s'%s'", i > 0 ? ", " : "", names[i]);
  }
  free(names);
  return rc == 0 ? pn_strbuf_puts(out, "]") : -1;
}

/* One step's answer. returned/returned_count: the modules earlier imports of
 * the line returned (this step's is added). */
static int step_answer(pn_importer *importer, const pn_import_step *step, pn_module **returned,
                       size_t *returned_count, pn_strbuf *out) {
  if (step->kind == PN_STEP_IMPORT) {
    pn_import_caller caller = {step->package, step->package != NULL ? NULL : "__main__", false};
    pn_import_error error = {NULL, NULL, NULL};
    pn_module *module = NULL;
    if (pn_import(importer, step->name, (const char *const *)step->fromlist, step->fromlist_len,
                  step->level, &caller, &module, &error) != 0) {
      int rc = pn_import_error_answer(&error, out);
      pn_import_error_clear(&error);
      return rc;
    }
    bool again = false;
    for (size_t i = 0; i < *returned_count; i++) {
      again = again || returned[i] == module;
    }
    returned[(*returned_count)++] = module;
    return pn_strbuf_printf(out, "%s%s", pn_module_name(module), again ? " (again)" : "");
  }
  pn_module *module = pn_importer_lookup(importer, step->name);
  if (module == NULL) {
    return pn_answer_exception(out, "KeyError", "'%s'", step->name);
  }
  if (step->kind == PN_STEP_NAMES) {
    return names_answer(module, out);
  }
  return pn_module_call(module, step->function, step->args, step->nargs, out);
}

int pn_import_answer(const char *search_path, pn_pyversion python, const char *line, size_t len,
                     pn_strbuf *out) {
  pn_import_line parsed;
  pn_strbuf message = PN_STRBUF_INIT;
  int rc = pn_import_line_parse(line, len, &parsed, &message);
  if (rc != 0) {
    if (rc > 0) {
      rc = pn_answer_exception(out, "SyntaxError", "%s", message.data);
    }
    pn_strbuf_free(&message);
    return rc;
  }
  pn_importer *importer = pn_importer_new(search_path);
  if (importer != NULL) {
    pn_importer_set_python(importer, python);
  }
  pn_module **returned = calloc(parsed.count, sizeof *returned);
  size_t returned_count = 0;
  rc = importer != NULL && returned != NULL ? 0 : -1;
  for (size_t i = 0; rc == 0 && i < parsed.count; i++) {
    if (i > 0) {
      rc = pn_strbuf_puts(out, " | ");
    }
    if (rc == 0) {
      rc = step_answer(importer, &parsed.steps[i], returned, &returned_count, out);
    }
  }
  free(returned);
  pn_importer_free(importer);
  pn_import_line_free(&parsed);
  return rc;
}
