#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE

#include "conformance/window/xvfb.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads from fd into *into until EOF or the deadline. Returns 0 at EOF, -1
 * when time ran out. */
static int read_until_eof(int fd, pn_strbuf *into, double deadline) {
  char chunk[4096];
  for (;;) {
    double left = deadline - now();
    if (left <= 0) {
      return -1;
    }
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    int ready = poll(&pfd, 1, (int)(left * 1000) + 1);
    if (ready < 0 && errno == EINTR) {
      continue;
    }
    if (ready <= 0) {
      continue;
    }
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return 0;
    }
    if (into != NULL) {
      pn_strbuf_append(into, chunk, (size_t)n);
    }
  }
}

static void stop_process(pid_t pid) {
  kill(pid, SIGTERM);
  double deadline = now() + 5;
  int status;
  while (now() < deadline) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      return;
    }
    usleep(10000);
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
}

int pn_xvfb_start(pn_xvfb *xvfb, double timeout, pn_strbuf *problem) {
  int displayfd[2];
  xvfb->pid = 0;
  if (pipe(displayfd) != 0) {
    pn_strbuf_printf(problem, "pipe: %s", strerror(errno));
    return -1;
  }
  pid_t pid = fork();
  if (pid == 0) {
    /* Xvfb writes the display number to fd 3 once it accepts clients. */
    dup2(displayfd[1], 3);
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0) {
      dup2(null, 1);
      dup2(null, 2);
    }
    for (int fd = 4; fd < 1024; fd++) {
      close(fd);
    }
    execlp("Xvfb", "Xvfb", "-displayfd", "3", "-screen", "0", "1280x1024x24", "-nolisten", "tcp",
           (char *)NULL);
    _exit(127);
  }
  close(displayfd[1]);
  if (pid < 0) {
    close(displayfd[0]);
    pn_strbuf_printf(problem, "fork: %s", strerror(errno));
    return -1;
  }
  pn_strbuf text = PN_STRBUF_INIT;
  double deadline = now() + timeout;
  char chunk[64];
  while (now() < deadline && (text.len == 0 || memchr(text.data, '\n', text.len) == NULL)) {
    struct pollfd pfd = {.fd = displayfd[0], .events = POLLIN};
    if (poll(&pfd, 1, 100) <= 0) {
      continue;
    }
    ssize_t n = read(displayfd[0], chunk, sizeof chunk);
    if (n <= 0) {
      break;
    }
    pn_strbuf_append(&text, chunk, (size_t)n);
  }
  close(displayfd[0]);
  int display = -1;
  if (text.len > 0 && memchr(text.data, '\n', text.len) != NULL) {
    display = atoi(text.data);
  }
  pn_strbuf_free(&text);
  if (display < 0) {
    stop_process(pid);
    pn_strbuf_puts(problem, "Xvfb did not start (is the xvfb package installed?)");
    return -1;
  }
  char name[32];
  snprintf(name, sizeof name, ":%d", display);
  setenv("DISPLAY", name, 1);
  /* Mesa would write its shader cache under HOME, read-only in the sandbox. */
  setenv("MESA_SHADER_CACHE_DISABLE", "true", 1);
  xvfb->pid = pid;
  xvfb->display = display;
  return 0;
}

void pn_xvfb_stop(pn_xvfb *xvfb) {
  if (xvfb->pid > 0) {
    stop_process(xvfb->pid);
    xvfb->pid = 0;
  }
}

int pn_xdotool(char *const args[], double timeout, pn_strbuf *out, pn_strbuf *problem) {
  size_t argc = 0;
  while (args[argc] != NULL) {
    argc++;
  }
  char **argv = calloc(argc + 2, sizeof *argv);
  int out_pipe[2], err_pipe[2];
  if (argv == NULL || pipe(out_pipe) != 0) {
    free(argv);
    pn_strbuf_puts(problem, "out of memory or pipes");
    return -1;
  }
  if (pipe(err_pipe) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    free(argv);
    pn_strbuf_puts(problem, "out of pipes");
    return -1;
  }
  argv[0] = "xdotool";
  memcpy(argv + 1, args, argc * sizeof *argv);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    for (int fd = 3; fd < 1024; fd++) {
      close(fd);
    }
    execvp("xdotool", argv);
    _exit(127);
  }
  free(argv);
  close(out_pipe[1]);
  close(err_pipe[1]);
  pn_strbuf err = PN_STRBUF_INIT;
  double deadline = now() + timeout;
  int finished = pid > 0 && read_until_eof(out_pipe[0], out, deadline) == 0 &&
                 read_until_eof(err_pipe[0], &err, deadline) == 0;
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = -1;
  if (pid > 0) {
    if (!finished) {
      kill(pid, SIGKILL);
    }
    waitpid(pid, &status, 0);
  }
  int ok = finished && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (!ok) {
    pn_strbuf_puts(problem, "xdotool");
    for (size_t i = 0; i < argc; i++) {
      pn_strbuf_printf(problem, " %s", args[i]);
    }
    if (!finished) {
      pn_strbuf_printf(problem, ": no answer within %g s", timeout);
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
      pn_strbuf_puts(problem, ": cannot run xdotool (is the xdotool package installed?)");
    } else {
      pn_strbuf_printf(problem, " failed: %.*s", (int)err.len, err.data ? err.data : "");
    }
  }
  pn_strbuf_free(&err);
  return ok ? 0 : -1;
}
