#define _POSIX_C_SOURCE 200809L

#include "conformance/harness/golden_suite.h"

#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance/harness/declared.h"
#include "conformance/harness/impl.h"

/* What a session file (header `Session = file`) has built in the session
 * that answers it: its cases depend on the state the earlier ones left. */
typedef struct session_file {
  unsigned long generation; /* the session the cases below went to; 0: none */
  size_t fed;               /* cases [0, fed) went to that session, in order */
  char *lost;               /* why replaying failed, once it has: later cases are not run */
} session_file;

struct ct_case {
  pn_golden_file *file;
  pn_golden_block *block;
  const char *run_name; /* FILESTEM.NAME, for messages */
  ct_case_fn run;
  bool skipped;
  size_t index;           /* in file->cases */
  struct ct_case **peers; /* the file's cases, by index; NULL unless a session file */
  session_file *session;  /* shared by the file's cases; NULL unless a session file */
  bool answer_lost;       /* its ask failed (hang, crash): a replay leaves it out */
};

/* What the registered tests point at; freed when the test binary exits. */
static struct {
  bool configured;
  pn_golden_file **files;
  size_t file_count;
  ct_case **cases;
  size_t case_count;
  char **strings;
  size_t string_count;
  char ***path_lists; /* the arrays ct_golden_paths returned */
  size_t path_list_count;
  session_file **session_files;
  size_t session_file_count;
  ct_case ***peer_lists;
  size_t peer_list_count;
} g_suite;

static void release_everything(void) {
  pn_impl_shutdown();
  for (size_t i = 0; i < g_suite.file_count; i++) {
    pn_golden_free(g_suite.files[i]);
    free(g_suite.files[i]);
  }
  for (size_t i = 0; i < g_suite.case_count; i++) {
    free(g_suite.cases[i]);
  }
  for (size_t i = 0; i < g_suite.string_count; i++) {
    free(g_suite.strings[i]);
  }
  for (size_t i = 0; i < g_suite.path_list_count; i++) {
    free(g_suite.path_lists[i]);
  }
  for (size_t i = 0; i < g_suite.session_file_count; i++) {
    free(g_suite.session_files[i]->lost);
    free(g_suite.session_files[i]);
  }
  for (size_t i = 0; i < g_suite.peer_list_count; i++) {
    free(g_suite.peer_lists[i]);
  }
  free(g_suite.session_files);
  free(g_suite.peer_lists);
  free(g_suite.files);
  free(g_suite.cases);
  free(g_suite.strings);
  free(g_suite.path_lists);
}

/* Reads the transport settings once (impl.h). */
static void configure_once(void) {
  if (g_suite.configured) {
    return;
  }
  g_suite.configured = true;
  const char *timeout = getenv("PYNOTES_CASE_TIMEOUT");
  const char *factor = getenv("PYNOTES_TIMEOUT_FACTOR");
  pn_impl_configure(getenv("PYNOTES_IMPL"), timeout ? atof(timeout) : 0, factor ? atof(factor) : 0);
  atexit(release_everything);
}

static bool push(void ***array, size_t *count, void *item) {
  void **grown = realloc(*array, (*count + 1) * sizeof **array);
  if (grown == NULL) {
    return false;
  }
  grown[(*count)++] = item;
  *array = grown;
  return true;
}

static char *keep_string(char *s) {
  if (s != NULL && !push((void ***)&g_suite.strings, &g_suite.string_count, s)) {
    free(s);
    return NULL;
  }
  return s;
}

const char *ct_golden_suite_name(const char *path) {
  const char *file_name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
  size_t len = strlen(file_name);
  if (len > 4 && strcmp(file_name + len - 4, ".txt") == 0) {
    len -= 4;
  }
  char *name = strndup(file_name, len);
  for (size_t i = 0; name != NULL && i < len; i++) {
    char ch = name[i];
    if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))) {
      name[i] = '_';
    }
  }
  return keep_string(name);
}

/* Whether the case holds for the declared implementation (declared.h); if
 * not, why not, in *why. Used both to run a case and to decide which earlier
 * cases a session replay sends. */
static bool applies(ct_case *c, pn_strbuf *why) {
  return ct_holds(c->block, &c->file->header, why);
}

static void run_case(void *context) {
  ct_case *c = context;
  /* Metadata that only people read. */
  pn_golden_get(c->block, "Name");
  pn_golden_get(c->block, "Source");
  pn_golden_get(&c->file->header, "Recorded-By");
  pn_golden_get(&c->file->header, "Oracle");
  pn_golden_get(&c->file->header, "Session");
  /* The default version, whether or not this case overrides it. */
  pn_golden_get(&c->file->header, "Python");
  if (ct_declared_minor() < 0) {
    ct_fail_at(c->file->path, c->block->line,
               "PYNOTES_PYTHON='%s' is not one Python version (3.6 or later, written 3.Y)",
               getenv("PYNOTES_PYTHON"));
    return;
  }
  pn_strbuf why = PN_STRBUF_INIT;
  if (!applies(c, &why)) {
    ct_skip_at(c->file->path, c->block->line, "%s", why.data ? why.data : "");
    pn_strbuf_free(&why);
    return;
  }
  c->run(c);
  if (c->skipped || ct_has_failure()) {
    return;
  }
  const pn_golden_attr *unused = pn_golden_first_unused(c->block);
  if (unused == NULL) {
    unused = pn_golden_first_unused(&c->file->header);
  }
  if (unused != NULL) {
    ct_fail_at(c->file->path, unused->line,
               "unused key '%s': no test reads it (a typo, or a check this note lacks)",
               unused->key);
  }
}

static void report_bad_file(void *context) {
  const char *error = context;
  /* error is "PATH:LINE: message"; report it at that place. */
  char path[4096];
  int line = 0;
  const char *colon = strchr(error, ':');
  size_t path_len = colon ? (size_t)(colon - error) : 0;
  if (colon != NULL && path_len < sizeof path) {
    memcpy(path, error, path_len);
    path[path_len] = '\0';
    line = atoi(colon + 1);
  } else {
    strcpy(path, "golden");
  }
  ct_fail_at(path, line, "malformed golden file: %s", error);
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void register_file(const char *path, ct_case_fn run) {
  const char *suite = ct_golden_suite_name(path);
  if (suite == NULL) {
    return;
  }
  pn_golden_file *file = calloc(1, sizeof *file);
  char *error = keep_string(malloc(PN_GOLDEN_ERROR_MAX));
  if (file == NULL || error == NULL) {
    free(file);
    return;
  }
  if (pn_golden_load(path, file, error) != 0) {
    free(file);
    ct_register_test(suite, "golden_file", path, 0, report_bad_file, error);
    return;
  }
  push((void ***)&g_suite.files, &g_suite.file_count, file);
  session_file *session = NULL;
  ct_case **peers = NULL;
  const char *session_kind = pn_golden_value(&file->header, "Session");
  if (session_kind != NULL && strcmp(session_kind, "file") == 0) {
    session = calloc(1, sizeof *session);
    peers = calloc(file->case_count, sizeof *peers);
    if (session == NULL || peers == NULL ||
        !push((void ***)&g_suite.session_files, &g_suite.session_file_count, session)) {
      free(session);
      free(peers);
      return;
    }
    if (!push((void ***)&g_suite.peer_lists, &g_suite.peer_list_count, peers)) {
      free(peers);
      return;
    }
  }
  for (size_t i = 0; i < file->case_count; i++) {
    pn_golden_block *block = &file->cases[i];
    ct_case *c = calloc(1, sizeof *c);
    if (c == NULL || !push((void ***)&g_suite.cases, &g_suite.case_count, c)) {
      free(c);
      return;
    }
    char line_name[32];
    const pn_golden_attr *name_attr = NULL;
    for (size_t k = 0; k < block->count; k++) {
      if (strcmp(block->attrs[k].key, "Name") == 0) {
        name_attr = &block->attrs[k];
      }
    }
    snprintf(line_name, sizeof line_name, "L%d", block->line);
    const char *name = name_attr ? name_attr->value : line_name;
    char *run_name = keep_string(malloc(strlen(suite) + strlen(name) + 2));
    if (run_name == NULL) {
      return;
    }
    sprintf(run_name, "%s.%s", suite, name);
    *c = (ct_case){file, block, run_name, run, false, i, peers, session, false};
    if (peers != NULL) {
      peers[i] = c;
    }
    ct_register_test(suite, name, file->path, block->line, run_case, c);
  }
}

size_t ct_golden_paths(const char *dir, char *const **paths) {
  static char *const kNone[1] = {NULL};
  configure_once(); /* which also frees what is kept here at exit */
  *paths = kNone;
  DIR *d = opendir(dir);
  if (d == NULL) {
    return 0;
  }
  char **names = NULL;
  size_t count = 0;
  struct dirent *entry;
  while ((entry = readdir(d)) != NULL) {
    size_t len = strlen(entry->d_name);
    if (len > 4 && strcmp(entry->d_name + len - 4, ".txt") == 0) {
      char *path = malloc(strlen(dir) + len + 2);
      if (path != NULL) {
        sprintf(path, "%s/%s", dir, entry->d_name);
      }
      if (keep_string(path) == NULL || !push((void ***)&names, &count, path)) {
        break;
      }
    }
  }
  closedir(d);
  /* Sorted, so test order does not depend on the file system. */
  qsort(names, count, sizeof *names, compare_names);
  if (names != NULL && push((void ***)&g_suite.path_lists, &g_suite.path_list_count, names)) {
    *paths = names;
    return count;
  }
  free(names);
  return 0;
}

void ct_golden_suite(const char *dir, ct_case_fn run) {
  configure_once();
  char *const *paths;
  size_t count = ct_golden_paths(dir, &paths);
  if (count == 0) {
    char *error = keep_string(malloc(PN_GOLDEN_ERROR_MAX));
    if (error != NULL) {
      snprintf(error, PN_GOLDEN_ERROR_MAX, "%s:0: no golden files (*.txt) in the folder", dir);
      ct_register_test("golden", "folder", dir, 0, report_bad_file, error);
    }
    return;
  }
  for (size_t i = 0; i < count; i++) {
    register_file(paths[i], run);
  }
}

pn_golden_block *ct_case_block(ct_case *c) {
  return c->block;
}

pn_golden_block *ct_case_header(ct_case *c) {
  return &c->file->header;
}

const char *ct_case_value(ct_case *c, const char *key) {
  return pn_golden_value(c->block, key);
}

void ct_case_fail(ct_case *c, const char *format, ...) {
  char message[4096];
  va_list args;
  va_start(args, format);
  vsnprintf(message, sizeof message, format, args);
  va_end(args);
  ct_fail_at(c->file->path, c->block->line, "%s: %s", c->run_name, message);
}

const char *ct_case_require(ct_case *c, const char *key) {
  const char *value = ct_case_value(c, key);
  if (value == NULL) {
    ct_case_fail(c, "the case has no '%s'", key);
  }
  return value;
}

/* The case's own time limit (its Timeout key), or 0. */
static double case_timeout(ct_case *c) {
  const char *timeout = pn_golden_value(c->block, "Timeout");
  return timeout ? atof(timeout) : 0;
}

static void skip_refused(ct_case *c, const char *command, const char *python,
                         const pn_strbuf *problem) {
  ct_skip_at(c->file->path, c->block->line, "%s: %s --python=%s: %s", c->run_name, command, python,
             problem->data ? problem->data : "");
  c->skipped = true;
}

/*
 * Before a case of a session file: makes sure the session that will answer it
 * has seen every earlier case of the file, in order. When the session is new
 * (the first case run, a filtered run, or a restart after a hang or crash),
 * the earlier cases' inputs are sent again and their answers dropped; a case
 * whose own ask failed is left out. Returns 0, or -1 after failing or
 * skipping the case.
 */
static int replay_session(ct_case *c, const char *command, const char *python) {
  session_file *session = c->session;
  if (session->lost != NULL) {
    ct_case_fail(c, "not run: %s", session->lost);
    return -1;
  }
  unsigned long generation = pn_impl_session_generation(command, python);
  size_t from = generation != 0 && generation == session->generation ? session->fed : 0;
  for (size_t i = from; i < c->index; i++) {
    ct_case *earlier = c->peers[i];
    pn_strbuf why = PN_STRBUF_INIT;
    bool skip = earlier->answer_lost || !applies(earlier, &why);
    pn_strbuf_free(&why);
    if (skip) {
      continue;
    }
    size_t len = 0;
    char *input = pn_golden_expand_input(earlier->block, &len);
    pn_strbuf answer = PN_STRBUF_INIT, problem = PN_STRBUF_INIT;
    pn_ask_status status =
        pn_impl_ask(command, python, input, len, case_timeout(earlier), &answer, &problem);
    free(input);
    pn_strbuf_free(&answer);
    if (status == PN_ASK_UNSUPPORTED) {
      skip_refused(c, command, python, &problem);
      pn_strbuf_free(&problem);
      return -1;
    }
    if (status == PN_ASK_FAILED) {
      pn_strbuf lost = PN_STRBUF_INIT;
      pn_strbuf_printf(&lost,
                       "the session was lost: replaying %s (line %d) to rebuild its state "
                       "failed: %s",
                       earlier->run_name, earlier->block->line, problem.data ? problem.data : "");
      session->lost = lost.data;
      pn_strbuf_free(&problem);
      ct_case_fail(c, "not run: %s", session->lost);
      return -1;
    }
    pn_strbuf_free(&problem);
  }
  return 0;
}

int ct_case_ask(ct_case *c, const char *input, size_t len, pn_strbuf *answer) {
  const char *command = pn_golden_value(&c->file->header, "Command");
  const char *python = ct_declared_python();
  if (c->session != NULL && replay_session(c, command, python) != 0) {
    return -1;
  }
  pn_strbuf problem = PN_STRBUF_INIT;
  pn_ask_status status =
      pn_impl_ask(command, python, input, len, case_timeout(c), answer, &problem);
  int rc = 0;
  if (status == PN_ASK_UNSUPPORTED) {
    skip_refused(c, command, python, &problem);
    rc = -1;
  } else if (status == PN_ASK_FAILED) {
    c->answer_lost = true;
    ct_case_fail(c, "%s --python=%s via %s: %s", command, python, pn_impl_describe(),
                 problem.data ? problem.data : "");
    rc = -1;
  }
  if (c->session != NULL) {
    c->session->generation = pn_impl_session_generation(command, python);
    c->session->fed = c->index + 1;
  }
  pn_strbuf_free(&problem);
  return rc;
}

/* Reads text as the float it denotes (repr or hex form). */
static bool parse_float(const char *text, double *value) {
  char *end;
  if (text[0] == '\0' || text[0] == ' ') {
    return false;
  }
  *value = strtod(text, &end);
  return *end == '\0';
}

void ct_case_expect_output(ct_case *c, const char *answer, size_t len) {
  const char *expected = ct_case_require(c, "Output");
  const char *expected_hex = ct_case_value(c, "Output-Hex");
  if (expected == NULL) {
    return;
  }
  size_t expected_len = pn_golden_get(c->block, "Output")->value_len;
  if (!ct_check_mem_eq(c->file->path, c->block->line, "Output", "the answer", expected,
                       expected_len, answer, len)) {
    return;
  }
  if (expected_hex != NULL) {
    double want, got;
    if (!parse_float(expected_hex, &want) || !parse_float(answer, &got) ||
        !(memcmp(&want, &got, sizeof want) == 0 || (isnan(want) && isnan(got)))) {
      ct_case_fail(c, "the answer '%s' is not the float %s bit for bit", answer, expected_hex);
    }
  }
}

void ct_run_line_case(ct_case *c) {
  size_t len = 0;
  char *input = pn_golden_expand_input(c->block, &len);
  pn_strbuf answer = PN_STRBUF_INIT;
  if (ct_case_ask(c, input, len, &answer) == 0) {
    ct_case_expect_output(c, answer.data ? answer.data : "", answer.len);
  }
  pn_strbuf_free(&answer);
  free(input);
}
