/*
 * The window note, as a person would see it: the implementation's real
 * window on a private Xvfb, driven by real X input (xdotool), checked against
 * what the note's pyglet programs did under the same server and input.
 *
 * - golden/window/ files (.txt) with `Program = events` (test FILESTEM.transcript):
 *   starts `IMPL window events`, waits for its window (named like
 *   `events.py`), focuses it, and plays every step with xdotool exactly as
 *   tools/pynotes/record_window.py did when recording; after each step the
 *   lines the implementation prints must be the step's Output, in order. After
 *   the last step (Escape) it must end with status 0, printing nothing more.
 * - `Program = hello` (FILESTEM.frame): `IMPL window hello --frame OUT.png`
 *   must save a frame that matches pyglet's within the file's tolerances (see
 *   golden/window/hello.txt). The frame is kept in TEST_UNDECLARED_OUTPUTS_DIR.
 *
 * Each test starts its own Xvfb and stops it, whatever happens; the
 * implementation runs as a process (conformance/harness/impl.h: pyref from
 * the runfiles, or PYNOTES_IMPL). Each wait is bounded by
 * PYNOTES_CASE_TIMEOUT seconds (default 20).
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conformance/golden_reader/golden_file.h"
#include "conformance/harness/declared.h"
#include "conformance/harness/golden_suite.h"
#include "conformance/harness/impl.h"
#include "conformance/shim/ctest.h"
#include "conformance/window/png_read.h"
#include "conformance/window/xvfb.h"

#define GOLDEN_DIR "golden/window"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double case_timeout(void) {
  const char *text = getenv("PYNOTES_CASE_TIMEOUT");
  double value = text != NULL ? atof(text) : 0;
  return value > 0 ? value : 20;
}

/* The implementation's process and what it wrote. */
typedef struct impl_run {
  pid_t pid;
  int to, from, err;
  pn_strbuf out; /* stdout not yet taken as lines */
  size_t out_used;
  int out_ended;
  pn_strbuf err_text;
} impl_run;

static int start_impl(impl_run *run, char *const args[], pn_strbuf *problem) {
  memset(run, 0, sizeof *run);
  run->pid = pn_impl_spawn(args, &run->to, &run->from, &run->err, problem);
  if (run->pid < 0) {
    return -1;
  }
  close(run->to); /* the programs read nothing */
  run->to = -1;
  return 0;
}

/* Reads whatever is ready on stdout and stderr, waiting up to `wait` s. */
static void pump(impl_run *run, double wait) {
  struct pollfd fds[2] = {{.fd = run->out_ended ? -1 : run->from, .events = POLLIN},
                          {.fd = run->err, .events = POLLIN}};
  if (poll(fds, 2, (int)(wait * 1000)) <= 0) {
    return;
  }
  char chunk[4096];
  if (fds[0].revents != 0) {
    ssize_t n = read(run->from, chunk, sizeof chunk);
    if (n > 0) {
      pn_strbuf_append(&run->out, chunk, (size_t)n);
    } else if (n == 0 || errno != EINTR) {
      run->out_ended = 1;
    }
  }
  if (fds[1].revents != 0) {
    ssize_t n = read(run->err, chunk, sizeof chunk);
    if (n > 0) {
      pn_strbuf_append(&run->err_text, chunk, (size_t)n);
    } else if (n == 0) {
      close(run->err);
      run->err = -1;
    }
  }
}

/* Takes the next line of stdout into *line (without its newline). Returns 1,
 * 0 at EOF, or -1 when none came before the deadline. */
static int next_line(impl_run *run, double deadline, pn_strbuf *line) {
  for (;;) {
    const char *start = run->out.data + run->out_used;
    size_t left = run->out.len - run->out_used;
    const char *newline = left > 0 ? memchr(start, '\n', left) : NULL;
    if (newline != NULL) {
      pn_strbuf_clear(line);
      pn_strbuf_append(line, start, (size_t)(newline - start));
      run->out_used += (size_t)(newline - start) + 1;
      return 1;
    }
    if (run->out_ended) {
      return 0;
    }
    double wait = deadline - now();
    if (wait <= 0) {
      return -1;
    }
    pump(run, wait < 0.1 ? wait : 0.1);
  }
}

/* Waits for the process to exit; returns its wait status, or -1 if it had
 * to be killed after the deadline. Kills its process group either way. */
static int finish_impl(impl_run *run, double deadline) {
  int status = -1;
  pid_t done = 0;
  while (run->pid > 0 && (done = waitpid(run->pid, &status, WNOHANG)) == 0 && now() < deadline) {
    pump(run, 0.05);
  }
  if (run->pid > 0) {
    kill(-run->pid, SIGKILL);
    if (done != run->pid) {
      waitpid(run->pid, &status, 0);
      status = -1;
    }
  }
  while (run->err >= 0 && !run->out_ended) {
    pump(run, 0); /* whatever was left in the pipes */
    break;
  }
  if (run->from >= 0) {
    close(run->from);
  }
  if (run->err >= 0) {
    close(run->err);
  }
  run->pid = 0;
  return status;
}

static void free_impl(impl_run *run) {
  pn_strbuf_free(&run->out);
  pn_strbuf_free(&run->err_text);
}

static const char *stderr_tail(impl_run *run) {
  if (run->err_text.len == 0) {
    return "(nothing on stderr)";
  }
  pn_strbuf_append(&run->err_text, "", 1);
  run->err_text.len--;
  return run->err_text.len > 600 ? run->err_text.data + run->err_text.len - 600
                                 : run->err_text.data;
}

/* Reads the header keys every window file has; fails the test when they are
 * not as expected. Returns the Program value or NULL. */
static const char *read_header(pn_golden_file *file) {
  const char *command = pn_golden_value(&file->header, "Command");
  const char *program = pn_golden_value(&file->header, "Program");
  pn_golden_value(&file->header, "Recorded-By");
  pn_golden_value(&file->header, "Oracle");
  pn_golden_value(&file->header, "Python");
  if (command == NULL || strcmp(command, "window") != 0 || program == NULL) {
    ct_fail_at(file->path, file->header.line, "the header needs Command = window and a Program");
    return NULL;
  }
  return program;
}

static void check_unused(pn_golden_file *file, pn_golden_block *block) {
  const pn_golden_attr *unused = pn_golden_first_unused(block);
  if (unused != NULL) {
    ct_fail_at(file->path, unused->line, "unused key '%s'", unused->key);
  }
}

/* The xdotool arguments of one step (at most 8 words plus NULL) in args,
 * pointing into words (a copy of the step's value). Returns 0, or -1 after
 * failing the test for a malformed step. */
static int step_args(pn_golden_file *file, pn_golden_block *step, const char *window, char *words,
                     size_t words_size, char *args[], size_t max_args) {
  const char *kinds[] = {"Key", "Keydown", "Keyup", "Click"};
  const char *kind = NULL;
  const char *value = NULL;
  for (size_t i = 0; i < 4; i++) {
    const char *v = pn_golden_value(step, kinds[i]);
    if (v != NULL) {
      if (kind != NULL) {
        ct_fail_at(file->path, step->line, "a step has one of Key, Keydown, Keyup, Click");
        return -1;
      }
      kind = kinds[i];
      value = v;
    }
  }
  if (kind == NULL || strlen(value) + 1 > words_size) {
    ct_fail_at(file->path, step->line, "a step has one of Key, Keydown, Keyup, Click");
    return -1;
  }
  strcpy(words, value);
  size_t n = 0;
  if (strcmp(kind, "Key") == 0) {
    args[n++] = "key";
    args[n++] = "--delay";
    args[n++] = "40";
    for (char *save = NULL, *word = strtok_r(words, " ", &save); word != NULL && n + 1 < max_args;
         word = strtok_r(NULL, " ", &save)) {
      args[n++] = word;
    }
  } else if (strcmp(kind, "Click") == 0) {
    const char *at = pn_golden_value(step, "At");
    static char xy[2][16];
    if (at == NULL || sscanf(at, "%15[0-9] %15[0-9]", xy[0], xy[1]) != 2) {
      ct_fail_at(file->path, step->line, "a Click step has At = X Y");
      return -1;
    }
    args[n++] = "mousemove";
    args[n++] = "--window";
    args[n++] = (char *)window;
    args[n++] = xy[0];
    args[n++] = xy[1];
    args[n++] = "click";
    args[n++] = words;
  } else {
    args[n++] = strcmp(kind, "Keydown") == 0 ? "keydown" : "keyup";
    args[n++] = words;
  }
  args[n] = NULL;
  return 0;
}

/* Whether the ended program refused its command line, the protocol's exit
 * status 2 before any output: the window note is then skipped, not failed. */
static bool refused(impl_run *run, int status) {
  return WIFEXITED(status) && WEXITSTATUS(status) == 2 && run->out.len == 0;
}

/* Waits for the implementation's window (xdotool search by name) and writes
 * its id to window. Returns 0, or -1 after failing the test. */
static int find_window(pn_golden_file *file, impl_run *run, const char *name_pattern, char *window,
                       size_t window_size, double timeout) {
  double deadline = now() + timeout;
  char *search[] = {"search", "--onlyvisible", "--name", (char *)name_pattern, NULL};
  while (now() < deadline) {
    pn_strbuf found = PN_STRBUF_INIT;
    pn_strbuf ignored = PN_STRBUF_INIT;
    pn_xdotool(search, timeout, &found, &ignored); /* exits 1 while there is none */
    int got = found.len > 0 && sscanf(found.data, "%31s", window) == 1 && window_size >= 32;
    pn_strbuf_free(&found);
    pn_strbuf_free(&ignored);
    if (got) {
      return 0;
    }
    int status;
    if (waitpid(run->pid, &status, WNOHANG) == run->pid) {
      run->pid = 0;
      pump(run, 0.2);
      if (refused(run, status)) {
        ct_skip_at(file->path, file->header.line, "refused the window program: %s",
                   stderr_tail(run));
      } else {
        ct_fail_at(file->path, file->header.line, "%s ended before its window appeared: %s",
                   pn_impl_command(), stderr_tail(run));
      }
      return -1;
    }
    pump(run, 0.05);
  }
  ct_fail_at(file->path, file->header.line, "no window named /%s/ appeared within %g s: %s",
             name_pattern, timeout, stderr_tail(run));
  return -1;
}

/* Plays the transcript's steps; returns after the first divergence. */
static void play_steps(pn_golden_file *file, impl_run *run, const char *window, double timeout) {
  pn_strbuf line = PN_STRBUF_INIT;
  pn_strbuf problem = PN_STRBUF_INIT;
  for (size_t i = 0; i < file->case_count; i++) {
    pn_golden_block *step = &file->cases[i];
    char words[256];
    char *args[24];
    if (step_args(file, step, window, words, sizeof words, args, 24) != 0) {
      break;
    }
    pn_golden_attr *output = pn_golden_get(step, "Output");
    check_unused(file, step);
    if (output == NULL) {
      ct_fail_at(file->path, step->line, "the step has no Output: run tools/record window");
      break;
    }
    if (pn_xdotool(args, timeout, NULL, &problem) != 0) {
      ct_fail_at(file->path, step->line, "%s", problem.data);
      break;
    }
    /* Each expected line in turn; an extra line shows up as the next step's
     * mismatch, or after the last step. */
    const char *expected = output->value;
    const char *end = output->value + output->value_len;
    int diverged = 0;
    while (expected < end && !diverged) {
      const char *newline = memchr(expected, '\n', (size_t)(end - expected));
      size_t len = newline != NULL ? (size_t)(newline - expected) : (size_t)(end - expected);
      int got = next_line(run, now() + timeout, &line);
      if (got != 1) {
        ct_fail_at(file->path, output->line, "expected the line \"%.*s\", got %s; stderr: %s",
                   (int)len, expected, got == 0 ? "the end of output" : "nothing in time",
                   stderr_tail(run));
        diverged = 1;
      } else if (line.len != len || memcmp(line.data, expected, len) != 0) {
        ct_fail_at(file->path, output->line, "expected the line \"%.*s\", got \"%.*s\"", (int)len,
                   expected, (int)line.len, line.data ? line.data : "");
        diverged = 1;
      }
      expected += len + (newline != NULL ? 1 : 0);
    }
    if (diverged) {
      break;
    }
  }
  pn_strbuf_free(&line);
  pn_strbuf_free(&problem);
}

static void run_events(pn_golden_file *file, double timeout) {
  pn_xvfb xvfb = {0};
  pn_strbuf problem = PN_STRBUF_INIT;
  impl_run run;
  memset(&run, 0, sizeof run);
  char *args[] = {"window", "events", (char *)ct_declared_python_option(), NULL};
  char window[64];
  if (pn_xvfb_start(&xvfb, timeout, &problem) != 0 || start_impl(&run, args, &problem) != 0) {
    ct_fail_at(file->path, file->header.line, "%s", problem.data);
  } else if (find_window(file, &run, "events\\.py$", window, sizeof window, timeout) == 0) {
    char *focus[] = {"windowfocus", "--sync", window, NULL};
    if (pn_xdotool(focus, timeout, NULL, &problem) != 0) {
      ct_fail_at(file->path, file->header.line, "%s", problem.data);
    } else {
      play_steps(file, &run, window, timeout);
    }
    if (!ct_has_failure()) {
      /* After the last step the program ends, printing nothing more. */
      pn_strbuf line = PN_STRBUF_INIT;
      int got = next_line(&run, now() + timeout, &line);
      if (got == 1) {
        ct_fail_at(file->path, file->cases[file->case_count - 1].line,
                   "after the last step the implementation printed \"%.*s\"", (int)line.len,
                   line.data);
      } else if (got < 0) {
        ct_fail_at(file->path, file->cases[file->case_count - 1].line,
                   "the implementation did not end after the last step within %g s", timeout);
      }
      pn_strbuf_free(&line);
      int status = finish_impl(&run, now() + timeout);
      if (!ct_has_failure() && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
        ct_fail_at(file->path, file->header.line, "the implementation exited with status 0x%x: %s",
                   (unsigned)status, stderr_tail(&run));
      }
    }
  }
  if (run.pid > 0) {
    finish_impl(&run, now());
  }
  free_impl(&run);
  pn_xvfb_stop(&xvfb);
  pn_strbuf_free(&problem);
}

typedef struct box {
  int left, top, right, bottom; /* inclusive; left > right when empty */
} box;

static box ink_box(const pn_rgb_image *image, int ink_level) {
  box b = {image->width, image->height, -1, -1};
  for (int y = 0; y < image->height; y++) {
    for (int x = 0; x < image->width; x++) {
      const unsigned char *p = image->pixels + ((size_t)y * (size_t)image->width + (size_t)x) * 3;
      if (p[0] > ink_level || p[1] > ink_level || p[2] > ink_level) {
        b.left = x < b.left ? x : b.left;
        b.right = x > b.right ? x : b.right;
        b.top = y < b.top ? y : b.top;
        b.bottom = y > b.bottom ? y : b.bottom;
      }
    }
  }
  return b;
}

static long number(pn_golden_file *file, pn_golden_block *block, const char *key) {
  const char *text = pn_golden_value(block, key);
  char *end = NULL;
  long value = text != NULL ? strtol(text, &end, 10) : -1;
  if (text == NULL || *end != 0 || value < 0) {
    ct_fail_at(file->path, block->line, "the frame block needs %s = a number", key);
    return -1;
  }
  return value;
}

static void compare_frames(pn_golden_file *file, pn_golden_block *block, const char *golden_png,
                           const char *actual_png) {
  long tolerance = number(file, block, "Pixel-Tolerance");
  long max_differing = number(file, block, "Max-Differing-Pixels");
  long ink = number(file, block, "Ink-Level");
  long box_tolerance = number(file, block, "Box-Tolerance");
  check_unused(file, block);
  if (tolerance < 0 || max_differing < 0 || ink < 0 || box_tolerance < 0) {
    return;
  }
  pn_rgb_image expected, actual;
  char error[512];
  if (pn_png_read_rgb(golden_png, &expected, error, sizeof error) != 0) {
    ct_fail_at(file->path, block->line, "%s", error);
    return;
  }
  if (pn_png_read_rgb(actual_png, &actual, error, sizeof error) != 0) {
    ct_fail_at(file->path, block->line, "the implementation's frame: %s", error);
    pn_rgb_image_free(&expected);
    return;
  }
  if (expected.width != actual.width || expected.height != actual.height) {
    ct_fail_at(file->path, block->line, "the frame is %dx%d, pyglet's %dx%d", actual.width,
               actual.height, expected.width, expected.height);
  } else {
    long differing = 0;
    for (size_t i = 0; i < (size_t)expected.width * (size_t)expected.height; i++) {
      for (int c = 0; c < 3; c++) {
        if (abs(expected.pixels[3 * i + c] - actual.pixels[3 * i + c]) > tolerance) {
          differing++;
          break;
        }
      }
    }
    if (differing > max_differing) {
      ct_fail_at(file->path, block->line,
                 "%ld pixels differ from pyglet's frame by more than %ld (at most %ld may)",
                 differing, tolerance, max_differing);
    }
    box want = ink_box(&expected, (int)ink);
    box got = ink_box(&actual, (int)ink);
    if (want.left > want.right) {
      ct_fail_at(file->path, block->line, "pyglet's frame shows no label: record it again");
    } else if (got.left > got.right || abs(want.left - got.left) > box_tolerance ||
               abs(want.right - got.right) > box_tolerance ||
               abs(want.top - got.top) > box_tolerance ||
               abs(want.bottom - got.bottom) > box_tolerance) {
      ct_fail_at(file->path, block->line,
                 "the label's box is x %d..%d, y %d..%d; pyglet's x %d..%d, y %d..%d (within %ld)",
                 got.left, got.right, got.top, got.bottom, want.left, want.right, want.top,
                 want.bottom, box_tolerance);
    }
  }
  pn_rgb_image_free(&expected);
  pn_rgb_image_free(&actual);
}

static void run_frame(pn_golden_file *file, double timeout) {
  if (file->case_count != 1) {
    ct_fail_at(file->path, file->header.line, "a frame file has exactly one block");
    return;
  }
  pn_golden_block *block = &file->cases[0];
  const char *frame = pn_golden_value(block, "Frame");
  if (frame == NULL || strchr(frame, '/') != NULL) {
    ct_fail_at(file->path, block->line, "the block needs Frame = NAME.png (in " GOLDEN_DIR ")");
    return;
  }
  char golden_png[512], actual_png[512];
  const char *outputs = getenv("TEST_UNDECLARED_OUTPUTS_DIR");
  const char *scratch = getenv("TEST_TMPDIR");
  snprintf(golden_png, sizeof golden_png, "%s/%s", GOLDEN_DIR, frame);
  snprintf(actual_png, sizeof actual_png, "%s/impl_%s",
           outputs != NULL ? outputs : (scratch != NULL ? scratch : "/tmp"), frame);
  unlink(actual_png);
  pn_xvfb xvfb = {0};
  pn_strbuf problem = PN_STRBUF_INIT;
  impl_run run;
  memset(&run, 0, sizeof run);
  char *args[] = {"window", "hello", "--frame", actual_png, (char *)ct_declared_python_option(),
                  NULL};
  if (pn_xvfb_start(&xvfb, timeout, &problem) != 0 || start_impl(&run, args, &problem) != 0) {
    ct_fail_at(file->path, file->header.line, "%s", problem.data);
  } else {
    int status = finish_impl(&run, now() + timeout);
    if (refused(&run, status)) {
      ct_skip_at(file->path, block->line, "refused: window hello --frame: %s", stderr_tail(&run));
    } else if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
      ct_fail_at(file->path, block->line, "window hello --frame exited with status 0x%x: %s",
                 (unsigned)status, stderr_tail(&run));
    } else {
      compare_frames(file, block, golden_png, actual_png);
    }
  }
  free_impl(&run);
  pn_xvfb_stop(&xvfb);
  pn_strbuf_free(&problem);
}

static void run_file(void *context) {
  const char *path = context;
  pn_golden_file file;
  char error[PN_GOLDEN_ERROR_MAX];
  if (pn_golden_load(path, &file, error) != 0) {
    ct_fail_at(path, 0, "%s", error);
    return;
  }
  const char *program = read_header(&file);
  check_unused(&file, &file.header);
  pn_strbuf why = PN_STRBUF_INIT;
  if (!ct_holds(NULL, &file.header, &why)) {
    ct_skip_at(path, file.header.line, "%s", why.data != NULL ? why.data : "");
  } else if (program != NULL && strcmp(program, "events") == 0) {
    run_events(&file, case_timeout());
  } else if (program != NULL && strcmp(program, "hello") == 0) {
    run_frame(&file, case_timeout());
  } else if (program != NULL) {
    ct_fail_at(path, file.header.line, "unknown Program '%s' (events or hello)", program);
  }
  pn_strbuf_free(&why);
  pn_golden_free(&file);
}

/* One test per golden file: FILESTEM.transcript for event transcripts,
 * FILESTEM.frame for frames (the name says which from the file's Program). */
static void register_files(void) {
  signal(SIGPIPE, SIG_IGN);
  char *const *paths;
  size_t count = ct_golden_paths(GOLDEN_DIR, &paths);
  if (count == 0) {
    ct_register_test("window", "goldens", GOLDEN_DIR, 0, run_file,
                     (void *)GOLDEN_DIR "/missing.txt");
  }
  for (size_t i = 0; i < count; i++) {
    pn_golden_file file;
    char error[PN_GOLDEN_ERROR_MAX];
    const char *kind = "file";
    if (pn_golden_load(paths[i], &file, error) == 0) {
      const char *program = pn_golden_value(&file.header, "Program");
      kind = program == NULL                  ? "file"
             : strcmp(program, "hello") == 0  ? "frame"
             : strcmp(program, "events") == 0 ? "transcript"
                                              : "file";
      pn_golden_free(&file);
    }
    ct_register_test(ct_golden_suite_name(paths[i]), kind, paths[i], 1, run_file, paths[i]);
  }
}

CT_SETUP(register_files)
