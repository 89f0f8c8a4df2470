#define _POSIX_C_SOURCE 200809L

#include "conformance/harness/impl.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conformance/harness/declared.h"
#include "ref/protocol/command.h"
#include "ref/pyref/commands.h"

/* An answer line longer than this is a runaway implementation. */
#define MAX_ANSWER_BYTES ((size_t)256 << 20)
/* How much of an implementation's stderr is kept to explain a failure. */
#define STDERR_TAIL_BYTES 2048
#define MAX_SESSIONS 64
/* How many refused command+version pairs are remembered; more are rare (one
 * per command an implementation lacks) and only cost a restart each. */
#define MAX_REFUSALS 64

typedef struct session {
  char command[64];
  char python[8];
  /* in-process */
  const pn_command *ref_command;
  void *ref_state;
  /* external */
  pid_t pid;
  int to_child;
  int from_child;
  int err_child;
  pn_strbuf pending; /* bytes read past the last answer's newline */
  pn_strbuf stderr_tail;
  bool answered_once;
  unsigned long generation; /* pn_impl_session_generation */
} session;

/* A command+version the implementation refused (exit status 2 before its
 * first answer): later asks are refused without starting it again. */
typedef struct refusal {
  char command[64];
  char python[8];
  pn_strbuf problem;
} refusal;

static struct {
  const char *external_command; /* NULL: in-process */
  double timeout_seconds;
  double timeout_factor;
  session *sessions[MAX_SESSIONS];
  size_t session_count;
  unsigned long last_generation;
} g_impl = {NULL, 20.0, 1.0, {NULL}, 0, 0};

static refusal g_refusals[MAX_REFUSALS];
static size_t g_refusal_count;

void pn_impl_configure(const char *external_command, double timeout_seconds,
                       double timeout_factor) {
  g_impl.external_command =
      (external_command != NULL && external_command[0] != '\0') ? external_command : NULL;
  g_impl.timeout_seconds = timeout_seconds > 0 ? timeout_seconds : 20.0;
  g_impl.timeout_factor = timeout_factor > 0 ? timeout_factor : 1.0;
  /* A dead implementation must not kill the suite when it writes a case. */
  signal(SIGPIPE, SIG_IGN);
}

const char *pn_impl_describe(void) {
  return g_impl.external_command ? g_impl.external_command : "the C reference (in-process)";
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void close_fd(int *fd) {
  if (*fd >= 0) {
    close(*fd);
    *fd = -1;
  }
}

static void keep_stderr_tail(session *s, const char *bytes, size_t n) {
  if (n >= STDERR_TAIL_BYTES) {
    pn_strbuf_clear(&s->stderr_tail);
    pn_strbuf_append(&s->stderr_tail, bytes + n - STDERR_TAIL_BYTES, STDERR_TAIL_BYTES);
    return;
  }
  if (s->stderr_tail.len + n > STDERR_TAIL_BYTES) {
    size_t drop = s->stderr_tail.len + n - STDERR_TAIL_BYTES;
    memmove(s->stderr_tail.data, s->stderr_tail.data + drop, s->stderr_tail.len - drop);
    s->stderr_tail.len -= drop;
  }
  pn_strbuf_append(&s->stderr_tail, bytes, n);
}

/* Waits for the child to end (up to grace_seconds), then kills its process
 * group. Returns the wait status, or -1 if it could not be collected. */
static int reap(session *s, double grace_seconds) {
  if (s->pid <= 0) {
    return -1;
  }
  int status = -1;
  double deadline = now_seconds() + grace_seconds;
  for (;;) {
    pid_t done = waitpid(s->pid, &status, WNOHANG);
    if (done == s->pid || (done < 0 && errno != EINTR)) {
      break;
    }
    if (now_seconds() >= deadline) {
      kill(-s->pid, SIGKILL);
      kill(s->pid, SIGKILL);
      while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR) {
      }
      break;
    }
    struct timespec pause = {0, 2000000};
    nanosleep(&pause, NULL);
  }
  /* Whatever the command line started in its group goes too. */
  kill(-s->pid, SIGKILL);
  s->pid = 0;
  return status;
}

static void end_external(session *s, double grace_seconds, int *status) {
  close_fd(&s->to_child);
  /* Drain stderr so the tail explains a crash. */
  if (s->err_child >= 0) {
    char buf[4096];
    ssize_t n;
    int flags = fcntl(s->err_child, F_GETFL);
    fcntl(s->err_child, F_SETFL, flags & ~O_NONBLOCK);
    struct pollfd pfd = {s->err_child, POLLIN, 0};
    while (poll(&pfd, 1, (int)(grace_seconds * 1000)) > 0 &&
           (n = read(s->err_child, buf, sizeof buf)) > 0) {
      keep_stderr_tail(s, buf, (size_t)n);
    }
  }
  int st = reap(s, grace_seconds);
  if (status != NULL) {
    *status = st;
  }
  close_fd(&s->from_child);
  close_fd(&s->err_child);
}

static void free_session(session *s) {
  if (s->ref_state != NULL) {
    s->ref_command->close(s->ref_state);
  }
  if (s->pid > 0) {
    end_external(s, 2.0, NULL);
  }
  pn_strbuf_free(&s->pending);
  pn_strbuf_free(&s->stderr_tail);
  free(s);
}

static void forget_session(session *s) {
  for (size_t i = 0; i < g_impl.session_count; i++) {
    if (g_impl.sessions[i] == s) {
      g_impl.sessions[i] = g_impl.sessions[--g_impl.session_count];
      break;
    }
  }
  free_session(s);
}

/* The command line of the implementation's processes: PYNOTES_IMPL, or the
 * pyref binary in the test's runfiles. */
const char *pn_impl_command(void) {
  const char *external = g_impl.external_command ? g_impl.external_command : getenv("PYNOTES_IMPL");
  return external != NULL && external[0] != '\0' ? external : "ref/pyref";
}

pid_t pn_impl_spawn(char *const args[], int *to_child, int *from_child, int *err_child,
                    pn_strbuf *problem) {
  return pn_impl_spawn_in(NULL, args, to_child, from_child, err_child, problem);
}

pid_t pn_impl_spawn_in(const char *dir, char *const args[], int *to_child, int *from_child,
                       int *err_child, pn_strbuf *problem) {
  int pipes[3][2];
  int made = 0;
  for (; made < 3; made++) {
    if (pipe(pipes[made]) != 0) {
      pn_strbuf_printf(problem, "pipe: %s", strerror(errno));
      for (int i = 0; i < made; i++) {
        close(pipes[i][0]);
        close(pipes[i][1]);
      }
      return -1;
    }
  }
  pn_strbuf script = PN_STRBUF_INIT;
  size_t argc = 0;
  while (args[argc] != NULL) {
    argc++;
  }
  char **argv = calloc(argc + 5, sizeof *argv);
  /* The default, ref/pyref in the runfiles, named from here before the child
   * changes its directory. */
  char cwd[4096] = "";
  const char *command = pn_impl_command();
  if (dir != NULL && command[0] != '/' && strcmp(command, "ref/pyref") == 0 &&
      getcwd(cwd, sizeof cwd - 16) != NULL) {
    strcat(cwd, "/");
  } else {
    cwd[0] = '\0';
  }
  if (argv == NULL || pn_strbuf_printf(&script, "exec %s%s \"$@\"", cwd, command) != 0) {
    free(argv);
    pn_strbuf_free(&script);
    pn_strbuf_puts(problem, "out of memory");
    return -1;
  }
  argv[0] = "sh";
  argv[1] = "-c";
  argv[2] = script.data;
  argv[3] = "pynotes-impl";
  for (size_t i = 0; i < argc; i++) {
    argv[4 + i] = args[i];
  }
  pid_t pid = fork();
  if (pid == 0) {
    /* Its own process group, so a hang is killed with all it started. */
    setpgid(0, 0);
    if (dir != NULL && chdir(dir) != 0) {
      _exit(127);
    }
    dup2(pipes[0][0], 0);
    dup2(pipes[1][1], 1);
    dup2(pipes[2][1], 2);
    for (int fd = 3; fd < 1024; fd++) {
      close(fd);
    }
    signal(SIGPIPE, SIG_DFL);
    execv("/bin/sh", argv);
    _exit(127);
  }
  free(argv);
  pn_strbuf_free(&script);
  close(pipes[0][0]);
  close(pipes[1][1]);
  close(pipes[2][1]);
  if (pid < 0) {
    for (int i = 0; i < 3; i++) {
      close(pipes[i][i == 0 ? 1 : 0]);
    }
    pn_strbuf_printf(problem, "fork: %s", strerror(errno));
    return -1;
  }
  *to_child = pipes[0][1];
  *from_child = pipes[1][0];
  *err_child = pipes[2][0];
  int fds[] = {*to_child, *from_child, *err_child};
  for (size_t i = 0; i < 3; i++) {
    fcntl(fds[i], F_SETFD, FD_CLOEXEC);
  }
  return pid;
}

/* The batch command's options: --python=X.Y, and --pointer-size=N when the
 * declared pointer size is not the default 8 (so an implementation that
 * knows nothing of the option is checked as before on 64-bit, and refuses,
 * exit 2, a 32-bit declaration it cannot serve). */
static int start_external(session *s, pn_strbuf *problem) {
  char python_option[32];
  char pointer_option[32];
  snprintf(python_option, sizeof python_option, "--python=%s", s->python);
  snprintf(pointer_option, sizeof pointer_option, "--pointer-size=%s", ct_declared_pointer_size());
  bool default_size = strcmp(ct_declared_pointer_size(), "8") == 0;
  char *args[] = {s->command, python_option, default_size ? NULL : pointer_option, NULL};
  pid_t pid = pn_impl_spawn(args, &s->to_child, &s->from_child, &s->err_child, problem);
  if (pid < 0) {
    return -1;
  }
  s->pid = pid;
  int fds[] = {s->to_child, s->from_child, s->err_child};
  for (size_t i = 0; i < 3; i++) {
    fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
  }
  return 0;
}

static void describe_exit(session *s, int status, double timeout, pn_strbuf *problem) {
  if (status == -2) {
    pn_strbuf_printf(problem, "no answer within %.0f s (hang?); the implementation was killed",
                     timeout);
  } else if (status >= 0 && WIFSIGNALED(status)) {
    pn_strbuf_printf(problem, "the implementation crashed: killed by signal %d", WTERMSIG(status));
  } else if (status >= 0 && WIFEXITED(status)) {
    pn_strbuf_printf(problem, "the implementation exited with status %d without answering",
                     WEXITSTATUS(status));
  } else {
    pn_strbuf_puts(problem, "the implementation stopped without answering");
  }
  if (s->stderr_tail.len > 0) {
    pn_strbuf_puts(problem, "; its stderr ends: ");
    pn_strbuf_append(problem, s->stderr_tail.data, s->stderr_tail.len);
  }
}

/* Moves one complete line from s->pending to answer; false when there is
 * none yet. */
static bool take_line(session *s, pn_strbuf *answer) {
  char *newline = s->pending.len ? memchr(s->pending.data, '\n', s->pending.len) : NULL;
  if (newline == NULL) {
    return false;
  }
  size_t line_len = (size_t)(newline - s->pending.data);
  pn_strbuf_append(answer, s->pending.data, line_len);
  size_t rest = s->pending.len - line_len - 1;
  memmove(s->pending.data, newline + 1, rest);
  s->pending.len = rest;
  s->pending.data[rest] = '\0';
  return true;
}

/*
 * Sends one line (or nothing, for input NULL) and waits for one answer line,
 * writing and reading at once so that neither side can block the other.
 * Returns PN_ASK_OK, or a failure with the session ended.
 */
static pn_ask_status exchange(session *s, const char *input, size_t len, double timeout,
                              pn_strbuf *answer, pn_strbuf *problem) {
  double deadline = now_seconds() + timeout;
  size_t sent = 0;
  size_t to_send = input ? len + 1 : 0;
  if (input == NULL) {
    close_fd(&s->to_child);
  }
  while (!take_line(s, answer)) {
    struct pollfd fds[3];
    nfds_t n = 0;
    fds[n++] = (struct pollfd){s->from_child, POLLIN, 0};
    if (s->err_child >= 0) {
      fds[n++] = (struct pollfd){s->err_child, POLLIN, 0};
    }
    if (sent < to_send && s->to_child >= 0) {
      fds[n++] = (struct pollfd){s->to_child, POLLOUT, 0};
    }
    double left = deadline - now_seconds();
    int ready = left > 0 ? poll(fds, n, (int)(left * 1000) + 1) : 0;
    if (ready < 0 && errno == EINTR) {
      continue;
    }
    if (ready <= 0) {
      end_external(s, 0.0, NULL);
      describe_exit(s, -2, timeout, problem);
      return PN_ASK_FAILED;
    }
    for (nfds_t i = 0; i < n; i++) {
      if (fds[i].revents == 0) {
        continue;
      }
      if (fds[i].fd == s->to_child) {
        const char *from = sent < len ? input + sent : "\n";
        size_t count = sent < len ? len - sent : 1;
        ssize_t w = write(s->to_child, from, count);
        if (w > 0) {
          sent += (size_t)w;
        } else if (w < 0 && errno != EAGAIN && errno != EINTR) {
          sent = to_send; /* the reader is gone: its exit explains why */
        }
      } else {
        char buf[65536];
        ssize_t r = read(fds[i].fd, buf, sizeof buf);
        if (r < 0 && (errno == EAGAIN || errno == EINTR)) {
          continue;
        }
        if (fds[i].fd == s->err_child) {
          if (r <= 0) {
            close_fd(&s->err_child);
          } else {
            keep_stderr_tail(s, buf, (size_t)r);
          }
          continue;
        }
        if (r <= 0) {
          int status;
          end_external(s, 2.0, &status);
          bool refused =
              !s->answered_once && status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 2;
          if (refused) {
            pn_strbuf_puts(problem, "the implementation refused it (exit status 2)");
            if (s->stderr_tail.len > 0) {
              pn_strbuf_puts(problem, ": ");
              pn_strbuf_append(problem, s->stderr_tail.data, s->stderr_tail.len);
            }
            return PN_ASK_UNSUPPORTED;
          }
          describe_exit(s, status, timeout, problem);
          return PN_ASK_FAILED;
        }
        if (pn_strbuf_append(&s->pending, buf, (size_t)r) != 0 ||
            s->pending.len > MAX_ANSWER_BYTES) {
          end_external(s, 0.0, NULL);
          pn_strbuf_puts(problem, "the answer line is too long (no newline in 256 MiB)");
          return PN_ASK_FAILED;
        }
      }
    }
  }
  s->answered_once = true;
  /* A trailing CR would be invisible in a diff; the protocol's lines end in
   * \n alone, so it stays and shows as \r. */
  return PN_ASK_OK;
}

static const refusal *find_refusal(const char *command, const char *python) {
  for (size_t i = 0; i < g_refusal_count; i++) {
    const refusal *r = &g_refusals[i];
    if (strcmp(r->command, command) == 0 && strcmp(r->python, python) == 0) {
      return r;
    }
  }
  return NULL;
}

/* Remembers that `s`'s command+version was refused, explained by the n bytes
 * of `why`. Out of memory, the refusal is remembered without its reason. */
static void remember_refusal(const session *s, const char *why, size_t n) {
  if (g_refusal_count == MAX_REFUSALS) {
    return;
  }
  refusal *r = &g_refusals[g_refusal_count++];
  strcpy(r->command, s->command);
  strcpy(r->python, s->python);
  r->problem = (pn_strbuf)PN_STRBUF_INIT;
  if (n > 0 && pn_strbuf_append(&r->problem, why, n) != 0) {
    pn_strbuf_free(&r->problem);
  }
}

static session *find_or_open(const char *command, const char *python, bool one_shot,
                             pn_strbuf *problem, pn_ask_status *status) {
  for (size_t i = 0; !one_shot && i < g_impl.session_count; i++) {
    session *s = g_impl.sessions[i];
    if (strcmp(s->command, command) == 0 && strcmp(s->python, python) == 0) {
      return s;
    }
  }
  *status = PN_ASK_FAILED;
  if (strlen(command) >= sizeof((session *)0)->command ||
      strlen(python) >= sizeof((session *)0)->python) {
    pn_strbuf_puts(problem, "command or version name too long");
    return NULL;
  }
  session *s = calloc(1, sizeof *s);
  if (s == NULL) {
    pn_strbuf_puts(problem, "out of memory");
    return NULL;
  }
  strcpy(s->command, command);
  strcpy(s->python, python);
  s->to_child = s->from_child = s->err_child = -1;
  s->generation = ++g_impl.last_generation;
  if (g_impl.external_command == NULL) {
    pn_pyversion version;
    s->ref_command = pn_command_find(command);
    if (s->ref_command == NULL || s->ref_command->input == PN_PROGRAM) {
      pn_strbuf_printf(problem, "the C reference has no %s '%s'",
                       s->ref_command ? "batch command (it is a program)" : "command", command);
      free(s);
      return NULL;
    }
    pn_target target = {PN_PYVERSION_DEFAULT, PN_POINTER_SIZE_DEFAULT};
    if (pn_pyversion_parse(python, &version) != 0 ||
        pn_pointer_size_parse(ct_declared_pointer_size(), &target.pointer_size) != 0) {
      pn_strbuf_printf(problem, "the C reference does not know Python %s on %s-byte pointers",
                       python, ct_declared_pointer_size());
      free(s);
      return NULL;
    }
    target.python = version;
    if (!pn_pyversion_in(version, s->ref_command->serves)) {
      /* pyref's exit 2 for a version the command does not serve. */
      pn_strbuf_printf(problem, "the C reference does not serve '%s' for Python %s", command,
                       python);
      *status = PN_ASK_UNSUPPORTED;
      free(s);
      return NULL;
    }
    s->ref_state = s->ref_command->open(s->ref_command, target);
    if (s->ref_state == NULL) {
      pn_strbuf_printf(problem, "the C reference could not start '%s'", command);
      free(s);
      return NULL;
    }
  } else if (start_external(s, problem) != 0) {
    free(s);
    return NULL;
  }
  if (!one_shot) {
    if (g_impl.session_count == MAX_SESSIONS) {
      forget_session(g_impl.sessions[0]);
    }
    g_impl.sessions[g_impl.session_count++] = s;
  }
  return s;
}

unsigned long pn_impl_session_generation(const char *command, const char *python) {
  for (size_t i = 0; i < g_impl.session_count; i++) {
    session *s = g_impl.sessions[i];
    if (strcmp(s->command, command) == 0 && strcmp(s->python, python) == 0) {
      return s->generation;
    }
  }
  return 0;
}

pn_ask_status pn_impl_ask(const char *command, const char *python, const char *input, size_t len,
                          double case_timeout, pn_strbuf *answer, pn_strbuf *problem) {
  /* A command that reads nothing answers once and exits: no reuse. */
  bool one_shot = input == NULL;
  pn_ask_status status = PN_ASK_FAILED;
  const refusal *refused = find_refusal(command, python);
  if (refused != NULL) {
    if (refused->problem.len > 0) {
      pn_strbuf_append(problem, refused->problem.data, refused->problem.len);
    }
    return PN_ASK_UNSUPPORTED;
  }
  session *s = find_or_open(command, python, one_shot, problem, &status);
  if (s == NULL) {
    return status;
  }
  if (s->ref_command != NULL) {
    if (s->ref_command->input == PN_INPUT_NONE && input != NULL) {
      pn_strbuf_printf(problem, "'%s' reads no input, but the case has an Input", command);
      status = PN_ASK_FAILED;
    } else if (s->ref_command->input == PN_INPUT_LINES && input == NULL) {
      pn_strbuf_printf(problem, "'%s' needs an Input for each case", command);
      status = PN_ASK_FAILED;
    } else if (s->ref_command->answer(s->ref_state, input, len, answer) != 0) {
      pn_strbuf_puts(problem, "the C reference ran out of memory");
      status = PN_ASK_FAILED;
    } else {
      status = PN_ASK_OK;
    }
    if (one_shot) {
      free_session(s);
    }
    return status;
  }
  double timeout = (case_timeout > g_impl.timeout_seconds ? case_timeout : g_impl.timeout_seconds) *
                   g_impl.timeout_factor;
  size_t problem_start = problem->len;
  status = exchange(s, input, len, timeout, answer, problem);
  if (status == PN_ASK_UNSUPPORTED) {
    size_t why_len = problem->len - problem_start;
    remember_refusal(s, why_len > 0 ? problem->data + problem_start : NULL, why_len);
  }
  if (one_shot) {
    free_session(s);
  } else if (status != PN_ASK_OK) {
    forget_session(s);
  }
  return status;
}

void pn_impl_shutdown(void) {
  while (g_impl.session_count > 0) {
    forget_session(g_impl.sessions[g_impl.session_count - 1]);
  }
  while (g_refusal_count > 0) {
    pn_strbuf_free(&g_refusals[--g_refusal_count].problem);
  }
}
