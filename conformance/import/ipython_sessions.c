#define _GNU_SOURCE

#include "conformance/import/ipython_sessions.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conformance/golden_reader/golden_file.h"
#include "conformance/harness/declared.h"
#include "conformance/harness/golden_suite.h"
#include "conformance/harness/impl.h"
#include "conformance/servers/transcript.h"
#include "conformance/shim/ctest.h"

#define REFUSAL                                                                   \
  "---------------------------------------------------------------------------\n" \
  "NotImplementedError"

typedef enum verdict { PASSED, FAILED, REFUSED, SKIPPED } verdict;

typedef struct step_result {
  verdict verdict;
  char *message;
} step_result;

typedef struct session_file {
  char path[4096];
  pn_golden_file file;
  int ran;
  step_result *results; /* one per case block */
} session_file;

typedef struct step_test {
  session_file *session;
  size_t index;
} step_test;

/* Everything registered, freed when the test binary exits. */
static struct {
  session_file **files;
  size_t file_count;
  step_test **steps;
  size_t step_count;
  char **errors;
  size_t error_count;
} g_registered;

static void release_everything(void) {
  for (size_t i = 0; i < g_registered.file_count; i++) {
    session_file *s = g_registered.files[i];
    for (size_t k = 0; s->results != NULL && k < s->file.case_count; k++) {
      free(s->results[k].message);
    }
    free(s->results);
    pn_golden_free(&s->file);
    free(s);
  }
  for (size_t i = 0; i < g_registered.step_count; i++) {
    free(g_registered.steps[i]);
  }
  for (size_t i = 0; i < g_registered.error_count; i++) {
    free(g_registered.errors[i]);
  }
  free(g_registered.files);
  free(g_registered.steps);
  free(g_registered.errors);
}

static int keep(void ***array, size_t *count, void *item) {
  void **grown = realloc(*array, (*count + 1) * sizeof **array);
  if (grown == NULL) {
    return -1;
  }
  grown[(*count)++] = item;
  *array = grown;
  return 0;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double session_limit(void) {
  const char *timeout = getenv("PYNOTES_CASE_TIMEOUT");
  const char *factor = getenv("PYNOTES_TIMEOUT_FACTOR");
  double seconds = timeout != NULL && atof(timeout) > 0 ? atof(timeout) : 20;
  return seconds * (factor != NULL && atof(factor) > 0 ? atof(factor) : 1);
}

static void set_all(session_file *s, verdict v, const char *message) {
  for (size_t i = 0; i < s->file.case_count; i++) {
    s->results[i].verdict = v;
    free(s->results[i].message);
    s->results[i].message = strdup(message);
  }
}

/* Makes the header's Directory in dir: NAME/ a folder, NAME* an executable
 * script, NAME an empty file. Returns 0 or -1. */
static int make_directory(const char *dir, const char *listing) {
  char *copy = strdup(listing);
  int rc = copy != NULL ? 0 : -1;
  for (char *save = NULL, *entry = copy ? strtok_r(copy, " ", &save) : NULL; rc == 0 && entry;
       entry = strtok_r(NULL, " ", &save)) {
    size_t len = strlen(entry);
    char path[4096];
    char last = entry[len - 1];
    if (last == '/' || last == '*') {
      entry[--len] = '\0';
    }
    snprintf(path, sizeof path, "%s/%s", dir, entry);
    if (last == '/') {
      rc = mkdir(path, 0755);
    } else {
      FILE *f = fopen(path, "w");
      if (f == NULL) {
        rc = -1;
        break;
      }
      if (last == '*') {
        fputs("#!/bin/sh\n", f);
      }
      fclose(f);
      rc = chmod(path, last == '*' ? 0755 : 0644);
    }
  }
  free(copy);
  return rc;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st;
  (void)flag;
  (void)ftw;
  return remove(path);
}

/* Runs the implementation on input; its stdout in *out, its exit status in
 * *status (-1: killed after the time limit). Returns 0, or -1 with *problem. */
static int run_session(const char *dir, const pn_strbuf *input, pn_strbuf *out, pn_strbuf *err,
                       int *status, pn_strbuf *problem) {
  char *args[] = {"embed", (char *)ct_declared_python_option(), NULL};
  int to_child, from_child, err_child;
  pid_t pid = pn_impl_spawn_in(dir, args, &to_child, &from_child, &err_child, problem);
  if (pid < 0) {
    return -1;
  }
  signal(SIGPIPE, SIG_IGN);
  fcntl(to_child, F_SETFL, fcntl(to_child, F_GETFL) | O_NONBLOCK);
  size_t written = 0;
  if (input->len == 0) {
    close(to_child);
    to_child = -1;
  }
  double deadline = now() + session_limit();
  int open_outputs = 2;
  while (open_outputs > 0 && now() < deadline) {
    struct pollfd fds[3] = {
        {from_child, POLLIN, 0}, {err_child, POLLIN, 0}, {to_child, POLLOUT, 0}};
    int ready = poll(fds, to_child >= 0 ? 3 : 2, 100);
    if (ready < 0 && errno != EINTR) {
      break;
    }
    if (to_child >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t n = write(to_child, input->data + written, input->len - written);
      if (n > 0) {
        written += (size_t)n;
      }
      if (n < 0 || written == input->len) {
        close(to_child); /* the end of input (or it stopped reading) */
        to_child = -1;
      }
    }
    for (int i = 0; i < 2; i++) {
      if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP | POLLERR))) {
        char chunk[65536];
        ssize_t n = read(fds[i].fd, chunk, sizeof chunk);
        if (n > 0) {
          pn_strbuf_append(i == 0 ? out : err, chunk, (size_t)n);
        } else {
          close(fds[i].fd);
          *(i == 0 ? &from_child : &err_child) = -1;
          open_outputs--;
        }
      }
    }
  }
  if (to_child >= 0) {
    close(to_child);
  }
  int wait_status = 0;
  while (waitpid(pid, &wait_status, WNOHANG) == 0) {
    if (now() >= deadline) {
      kill(-pid, SIGKILL);
      waitpid(pid, &wait_status, 0);
      *status = -1;
      pn_strbuf_printf(problem, "the session did not end within %.0f s; it was killed",
                       session_limit());
      break;
    }
    usleep(10000);
  }
  if (from_child >= 0) {
    close(from_child);
  }
  if (err_child >= 0) {
    close(err_child);
  }
  if (problem->len > 0) {
    return -1;
  }
  if (WIFSIGNALED(wait_status)) {
    pn_strbuf_printf(problem, "the implementation crashed: killed by signal %d",
                     WTERMSIG(wait_status));
    return -1;
  }
  *status = WEXITSTATUS(wait_status);
  return 0;
}

/* Whether actual[at...] starts with the Output text expected (its ${VERSION},
 * ${BUILD} and ${COMPILER} matched by shape, $$ a $); *used gets how many
 * bytes of actual it took. */
static int matches(const char *expected, size_t expected_len, const char *actual, size_t len,
                   size_t at, size_t *used) {
  static const struct {
    const char *name;
    const char *excluded; /* bytes the value never holds */
  } kPlaceholders[] = {{"${VERSION}", " ()[]\n"}, {"${BUILD}", "()\n"}, {"${COMPILER}", "[]\n"}};
  size_t i = 0, j = at;
  while (i < expected_len) {
    if (expected[i] == '$' && i + 1 < expected_len && expected[i + 1] == '$') {
      if (j >= len || actual[j] != '$') {
        return 0;
      }
      i += 2;
      j++;
      continue;
    }
    int placeholder = -1;
    for (int k = 0; k < 3; k++) {
      size_t n = strlen(kPlaceholders[k].name);
      if (expected_len - i >= n && memcmp(expected + i, kPlaceholders[k].name, n) == 0) {
        placeholder = k;
        i += n;
      }
    }
    if (placeholder >= 0) {
      size_t start = j;
      while (j < len && strchr(kPlaceholders[placeholder].excluded, actual[j]) == NULL) {
        j++;
      }
      if (j == start) {
        return 0;
      }
      continue;
    }
    if (j >= len || actual[j] != expected[i]) {
      return 0;
    }
    i++;
    j++;
  }
  *used = j - at;
  return 1;
}

static char *show_difference(const char *expected, size_t expected_len, const char *actual,
                             size_t len, size_t at) {
  pn_strbuf message = PN_STRBUF_INIT;
  pn_strbuf_printf(&message, "at byte %zu of the output:\n  expected: \"", at);
  pn_transcript_show(&message, expected, 0, expected_len);
  pn_strbuf_puts(&message, "\"\n  actual:   \"");
  size_t shown = len - at < expected_len + 200 ? len - at : expected_len + 200;
  pn_transcript_show(&message, actual, at, at + shown);
  pn_strbuf_puts(&message, shown < len - at ? "...\"" : "\"");
  return message.data;
}

/* Compares the output with the blocks in order (results as the header says). */
static void compare(session_file *s, const pn_strbuf *output, int status) {
  const char *actual = output->data ? output->data : "";
  size_t len = output->len, at = 0;
  int diverged_line = 0;
  for (size_t i = 0; i < s->file.case_count; i++) {
    pn_golden_block *block = &s->file.cases[i];
    step_result *r = &s->results[i];
    pn_golden_value(block, "Name");
    pn_golden_value(block, "Input");
    pn_golden_value(block, "End-Of-Input");
    const pn_golden_attr *want = pn_golden_get(block, "Output");
    const pn_golden_attr *unused = pn_golden_first_unused(block);
    if (diverged_line > 0) {
      r->verdict = FAILED;
      asprintf(&r->message, "not checked: the session diverged at line %d", diverged_line);
      continue;
    }
    if (want == NULL || unused != NULL) {
      r->verdict = FAILED;
      asprintf(&r->message,
               want == NULL ? "the block has no Output" : "unused key '%s': no test reads it",
               unused != NULL ? unused->key : "");
      diverged_line = block->line;
      continue;
    }
    size_t used = 0;
    if (matches(want->value, want->value_len, actual, len, at, &used)) {
      r->verdict = PASSED;
      at += used;
      continue;
    }
    /* A refusal in IPython's error block, up to the prompt the block ends with. */
    const char *tail = want->value_len > 0 ? memrchr(want->value, '\n', want->value_len) : NULL;
    size_t tail_len = tail != NULL ? want->value_len - (size_t)(tail - want->value) : 0;
    const char *resync = NULL;
    if (len - at > strlen(REFUSAL) && memcmp(actual + at, REFUSAL, strlen(REFUSAL)) == 0 &&
        tail_len > 1) {
      resync = memmem(actual + at, len - at, tail, tail_len);
    }
    if (resync != NULL) {
      const char *line =
          memmem(actual + at, (size_t)(resync - actual) - at, "\nNotImplementedError: ", 22);
      const char *end = line != NULL ? memchr(line + 1, '\n', (size_t)(resync - line)) : NULL;
      r->verdict = REFUSED;
      asprintf(&r->message, "refused: %.*s", line && end ? (int)(end - line - 1) : 19,
               line && end ? line + 1 : "NotImplementedError");
      at = (size_t)(resync - actual) + tail_len;
      continue;
    }
    r->verdict = FAILED;
    r->message = show_difference(want->value, want->value_len, actual, len, at);
    diverged_line = block->line;
  }
  step_result *last = &s->results[s->file.case_count - 1];
  if (diverged_line == 0 && at < len) {
    free(last->message);
    last->verdict = FAILED;
    last->message = show_difference("", 0, actual, len, at);
  }
  const char *want_status = pn_golden_value(&s->file.header, "Exit-Status");
  if (last->verdict != FAILED && want_status != NULL && atoi(want_status) != status) {
    free(last->message);
    last->verdict = FAILED;
    asprintf(&last->message, "exit status %d, not %s", status, want_status);
  }
}

static void run_file(session_file *s) {
  s->ran = 1;
  pn_golden_block *header = &s->file.header;
  pn_golden_value(header, "Recorded-By");
  pn_golden_value(header, "Oracle");
  const char *command = pn_golden_value(header, "Command");
  const char *listing = pn_golden_value(header, "Directory");
  pn_strbuf why = PN_STRBUF_INIT;
  bool holds = ct_holds(NULL, header, &why);
  if (!holds) {
    set_all(s, SKIPPED, why.data != NULL ? why.data : "");
  }
  pn_strbuf_free(&why);
  if (!holds) {
    return;
  }
  if (command == NULL || strcmp(command, "embed") != 0 || listing == NULL ||
      s->file.case_count == 0) {
    set_all(s, FAILED, "a session transcript has Command = embed, a Directory and blocks");
    return;
  }
  pn_strbuf input = PN_STRBUF_INIT;
  for (size_t i = 0; i < s->file.case_count; i++) {
    const pn_golden_attr *line = pn_golden_get(&s->file.cases[i], "Input");
    if (line != NULL) {
      pn_strbuf_append(&input, line->value, line->value_len);
      pn_strbuf_puts(&input, "\n");
    }
  }
  const char *tmp = getenv("TEST_TMPDIR");
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/ipython-XXXXXX", tmp != NULL ? tmp : "/tmp");
  pn_strbuf out = PN_STRBUF_INIT, err = PN_STRBUF_INIT, problem = PN_STRBUF_INIT;
  int status = 0;
  if (mkdtemp(dir) == NULL || make_directory(dir, listing) != 0) {
    set_all(s, FAILED, "cannot make the session's directory");
  } else if (run_session(dir, &input, &out, &err, &status, &problem) != 0) {
    pn_strbuf_printf(&problem, " (via %s)", pn_impl_describe());
    set_all(s, FAILED, problem.data);
  } else if (status == 2 && out.len == 0) {
    pn_strbuf_printf(&problem, "refused: embed %s: %.*s", ct_declared_python_option(), (int)err.len,
                     err.data ? err.data : "");
    set_all(s, SKIPPED, problem.data);
  } else {
    compare(s, &out, status);
  }
  nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  pn_strbuf_free(&input);
  pn_strbuf_free(&out);
  pn_strbuf_free(&err);
  pn_strbuf_free(&problem);
}

static void run_step(void *context) {
  step_test *t = context;
  session_file *s = t->session;
  if (!s->ran) {
    run_file(s);
  }
  const step_result *r = &s->results[t->index];
  int line = s->file.cases[t->index].line;
  if (r->verdict == FAILED) {
    ct_fail_at(s->path, line, "%s", r->message ? r->message : "");
  } else if (r->verdict == REFUSED || r->verdict == SKIPPED) {
    ct_skip_at(s->path, line, "%s", r->message ? r->message : "");
  }
}

static void report_bad_file(void *context) {
  ct_fail_at("golden/import/ipython", 0, "malformed golden file: %s", (const char *)context);
}

void ct_ipython_sessions(const char *dir) {
  char *const *paths;
  size_t count = ct_golden_paths(dir, &paths);
  atexit(release_everything);
  for (size_t i = 0; i < count; i++) {
    char suite[256];
    snprintf(suite, sizeof suite, "ipython_%s", ct_golden_suite_name(paths[i]));
    session_file *s = calloc(1, sizeof *s);
    char *error = malloc(PN_GOLDEN_ERROR_MAX);
    if (s == NULL || error == NULL ||
        keep((void ***)&g_registered.errors, &g_registered.error_count, error) != 0) {
      free(s);
      free(error);
      return;
    }
    snprintf(s->path, sizeof s->path, "%s", paths[i]);
    if (pn_golden_load(paths[i], &s->file, error) != 0) {
      free(s);
      ct_register_test(suite, "golden_file", paths[i], 0, report_bad_file, error);
      continue;
    }
    s->results = calloc(s->file.case_count, sizeof *s->results);
    if (s->results == NULL ||
        keep((void ***)&g_registered.files, &g_registered.file_count, s) != 0) {
      pn_golden_free(&s->file);
      free(s->results);
      free(s);
      return;
    }
    for (size_t k = 0; k < s->file.case_count; k++) {
      step_test *t = malloc(sizeof *t);
      if (t == NULL || keep((void ***)&g_registered.steps, &g_registered.step_count, t) != 0) {
        free(t);
        return;
      }
      *t = (step_test){s, k};
      const char *name = NULL;
      pn_golden_block *block = &s->file.cases[k];
      for (size_t a = 0; a < block->count; a++) {
        if (strcmp(block->attrs[a].key, "Name") == 0) {
          name = block->attrs[a].value;
        }
      }
      char line_name[32];
      snprintf(line_name, sizeof line_name, "L%d", block->line);
      ct_register_test(suite, name != NULL ? name : line_name, s->path, block->line, run_step, t);
    }
  }
}
