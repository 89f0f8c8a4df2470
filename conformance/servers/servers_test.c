/*
 * The servers note: every transcript in golden/servers replayed against the
 * implementation's server, each transcript its own test (FILESTEM.transcript).
 *
 * A test starts `IMPL serve NAME --port 0` (conformance/harness/impl.h: pyref
 * from the runfiles, or PYNOTES_IMPL), reads its readiness line, plays the
 * steps over loopback sockets, and stops the server with SIGTERM (SIGKILL if
 * it lingers), whatever happened; the server must exit 0. Every client reads
 * all the time into its own buffer, so a large Send cannot deadlock against a
 * server that answers while it reads; an Expect then takes its bytes from
 * that buffer. The first divergence is reported with the client, the golden
 * line, the offset and both sides written readably.
 *
 * Each wait is bounded by PYNOTES_CASE_TIMEOUT seconds (default 20).
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conformance/golden_reader/golden_file.h"
#include "conformance/harness/declared.h"
#include "conformance/harness/golden_suite.h"
#include "conformance/harness/impl.h"
#include "conformance/servers/transcript.h"
#include "conformance/shim/ctest.h"

#define TRANSCRIPT_DIR "golden/servers"
#define MAX_CLIENTS 64
/* How much of each side a divergence shows around the first differing byte. */
#define SHOWN_CONTEXT 60

typedef struct client {
  const char *name;
  int fd;            /* -1 once closed by the test */
  bool ended;        /* the server closed (EOF or reset) */
  pn_strbuf inbox;   /* received and not yet expected */
  size_t inbox_used; /* bytes of inbox already matched */
} client;

typedef struct replay {
  const char *path;
  int port;
  double timeout;
  pid_t server;
  int server_err; /* the server's stderr, kept for failure messages */
  pn_strbuf server_stderr;
  bool silent_exit; /* it ended before writing anything (a refusal, if status 2) */
  bool reaped;      /* waited for already: its wait status is exit_status */
  int exit_status;
  size_t client_count;
  client clients[MAX_CLIENTS];
} replay;

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

static void drain_server_stderr(replay *r) {
  char chunk[4096];
  ssize_t n;
  while (r->server_err >= 0 && (n = read(r->server_err, chunk, sizeof chunk)) > 0) {
    pn_strbuf_append(&r->server_stderr, chunk, (size_t)n);
  }
}

/* Reads whatever the open clients have, waiting up to `seconds` for the
 * first event (0: only what is there). Also waits for `writer` to become
 * writable when it is >= 0. Returns the number of poll events. */
static int pump(replay *r, double seconds, int writer) {
  struct pollfd fds[MAX_CLIENTS + 1];
  client *owners[MAX_CLIENTS + 1];
  nfds_t n = 0;
  for (size_t i = 0; i < r->client_count; i++) {
    client *c = &r->clients[i];
    if (c->fd >= 0 && !c->ended) {
      fds[n].fd = c->fd;
      fds[n].events = (short)(POLLIN | (c->fd == writer ? POLLOUT : 0));
      owners[n++] = c;
    } else if (c->fd >= 0 && c->fd == writer) {
      fds[n].fd = c->fd;
      fds[n].events = POLLOUT;
      owners[n++] = c;
    }
  }
  int ready = poll(fds, n, (int)(seconds * 1000));
  for (nfds_t i = 0; ready > 0 && i < n; i++) {
    if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)) || owners[i]->ended) {
      continue;
    }
    char chunk[65536];
    for (;;) {
      ssize_t got = recv(fds[i].fd, chunk, sizeof chunk, 0);
      if (got > 0) {
        pn_strbuf_append(&owners[i]->inbox, chunk, (size_t)got);
        continue;
      }
      if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        owners[i]->ended = true;
      }
      break;
    }
  }
  drain_server_stderr(r);
  return ready;
}

static client *find_client(replay *r, const char *name) {
  for (size_t i = 0; i < r->client_count; i++) {
    if (strcmp(r->clients[i].name, name) == 0) {
      return &r->clients[i];
    }
  }
  return NULL;
}

static void fail_step(replay *r, const pn_step *step, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void fail_step(replay *r, const pn_step *step, const char *format, ...) {
  pn_strbuf message = PN_STRBUF_INIT;
  va_list args;
  va_start(args, format);
  pn_strbuf_vprintf(&message, format, args);
  va_end(args);
  drain_server_stderr(r);
  if (r->server_stderr.len > 0) {
    size_t from = r->server_stderr.len > 800 ? r->server_stderr.len - 800 : 0;
    pn_strbuf_printf(&message, "\nthe server's stderr ends: %.*s",
                     (int)(r->server_stderr.len - from), r->server_stderr.data + from);
  }
  ct_fail_at(r->path, step->line, "client %s: %s", step->client, message.data);
  pn_strbuf_free(&message);
}

static int do_connect(replay *r, const pn_step *step) {
  if (find_client(r, step->client) != NULL || r->client_count == MAX_CLIENTS) {
    fail_step(r, step, "already connected, or more than %d clients", MAX_CLIENTS);
    return -1;
  }
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)r->port)};
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
    fail_step(r, step, "cannot connect to 127.0.0.1:%d: %s", r->port, strerror(errno));
    if (fd >= 0) {
      close(fd);
    }
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  client *c = &r->clients[r->client_count++];
  pn_strbuf empty = PN_STRBUF_INIT;
  *c = (client){.name = step->client, .fd = fd, .inbox = empty};
  return 0;
}

static client *connected(replay *r, const pn_step *step) {
  client *c = find_client(r, step->client);
  if (c == NULL || c->fd < 0) {
    fail_step(r, step, "not connected");
    return NULL;
  }
  return c;
}

/* Writes all of the step's data, reading all the while. A server that has
 * closed ends the write early: that is not a failure here (the transcript's
 * Expect-Close says whether the server closes). */
static int do_send(replay *r, const pn_step *step, client *c) {
  pn_strbuf data = PN_STRBUF_INIT;
  pn_strbuf problem = PN_STRBUF_INIT;
  if (pn_transcript_expand_send(step->data, step->data_len, r->port, &data, &problem) != 0) {
    fail_step(r, step, "bad Data: %s", problem.data != NULL ? problem.data : "out of memory");
    pn_strbuf_free(&problem);
    return -1;
  }
  size_t sent = 0;
  double deadline = now() + r->timeout;
  int rc = 0;
  while (sent < data.len) {
    ssize_t n = send(c->fd, data.data + sent, data.len - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += (size_t)n;
    } else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      break; /* EPIPE, ECONNRESET: the server has closed */
    }
    if (sent < data.len) {
      pump(r, 0.05, c->fd);
      if (now() > deadline) {
        fail_step(r, step, "could not send %zu bytes within %g s (%zu sent)", data.len, r->timeout,
                  sent);
        rc = -1;
        break;
      }
    }
  }
  pump(r, 0, -1);
  pn_strbuf_free(&data);
  return rc;
}

static void show_divergence(replay *r, const pn_step *step, const pn_expectation *expected,
                            const char *got, size_t got_len, size_t offset, const char *why) {
  size_t from = offset > SHOWN_CONTEXT ? offset - SHOWN_CONTEXT : 0;
  size_t expected_to =
      expected->bytes.len < offset + SHOWN_CONTEXT ? expected->bytes.len : offset + SHOWN_CONTEXT;
  size_t got_to = got_len < offset + SHOWN_CONTEXT ? got_len : offset + SHOWN_CONTEXT;
  pn_strbuf shown = PN_STRBUF_INIT;
  pn_strbuf_printf(&shown, "%s at byte %zu (expected %zu bytes, received %zu)\n  expected: %s\"",
                   why, offset, expected->bytes.len, got_len, from > 0 ? "..." : "");
  pn_transcript_show(&shown, expected->bytes.data, from, expected_to);
  pn_strbuf_printf(&shown, "\"%s\n  received: %s\"", expected_to < expected->bytes.len ? "..." : "",
                   from > 0 ? "..." : "");
  pn_transcript_show(&shown, got, from, got_to);
  pn_strbuf_printf(&shown, "\"%s\n            %*s^", got_to < got_len ? "..." : "",
                   (int)(offset - from + (from > 0 ? 4 : 1)), "");
  fail_step(r, step, "%s", shown.data);
  pn_strbuf_free(&shown);
}

static int do_expect(replay *r, const pn_step *step, client *c) {
  pn_expectation expected;
  pn_strbuf problem = PN_STRBUF_INIT;
  if (pn_expectation_compile(step->data, step->data_len, r->port, &expected, &problem) != 0) {
    fail_step(r, step, "bad Data: %s", problem.data != NULL ? problem.data : "out of memory");
    pn_strbuf_free(&problem);
    pn_expectation_free(&expected);
    return -1;
  }
  double deadline = now() + r->timeout;
  size_t want = expected.bytes.len;
  int rc = 0;
  for (;;) {
    const char *got = c->inbox.data + c->inbox_used;
    size_t have = c->inbox.len - c->inbox_used;
    size_t mismatch = pn_expectation_mismatch(&expected, got, have);
    if (mismatch < want && mismatch < have) {
      show_divergence(r, step, &expected, got, have, mismatch, "bytes differ");
      rc = -1;
      break;
    }
    if (have >= want) {
      c->inbox_used += want;
      break;
    }
    if (c->ended || now() > deadline) {
      show_divergence(
          r, step, &expected, got, have, have,
          c->ended ? "the server closed the connection early" : "the bytes did not arrive in time");
      rc = -1;
      break;
    }
    pump(r, 0.1, -1);
  }
  pn_expectation_free(&expected);
  return rc;
}

static int do_expect_close(replay *r, const pn_step *step, client *c) {
  double deadline = now() + r->timeout;
  while (!c->ended && c->inbox.len == c->inbox_used && now() < deadline) {
    pump(r, 0.1, -1);
  }
  if (c->inbox.len > c->inbox_used) {
    pn_strbuf shown = PN_STRBUF_INIT;
    pn_transcript_show(&shown, c->inbox.data, c->inbox_used,
                       c->inbox.len - c->inbox_used > 200 ? c->inbox_used + 200 : c->inbox.len);
    fail_step(r, step, "expected the server to close; received \"%s\"", shown.data);
    pn_strbuf_free(&shown);
    return -1;
  }
  if (!c->ended) {
    fail_step(r, step, "expected the server to close within %g s; it did not", r->timeout);
    return -1;
  }
  close(c->fd);
  c->fd = -1;
  return 0;
}

static int do_expect_silence(replay *r, const pn_step *step, client *c) {
  double end = now() + (double)step->silence_ms / 1000;
  double left;
  while ((left = end - now()) > 0 && c->inbox.len == c->inbox_used && !c->ended) {
    pump(r, left, -1);
  }
  if (c->inbox.len > c->inbox_used || c->ended) {
    pn_strbuf shown = PN_STRBUF_INIT;
    pn_transcript_show(&shown, c->inbox.data, c->inbox_used, c->inbox.len);
    fail_step(r, step, "expected nothing for %ld ms; received \"%s\"%s", step->silence_ms,
              shown.data != NULL ? shown.data : "", c->ended ? " and the server closed" : "");
    pn_strbuf_free(&shown);
    return -1;
  }
  return 0;
}

static int do_close(client *c, bool reset) {
  if (reset) {
    struct linger linger = {.l_onoff = 1, .l_linger = 0};
    setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
  }
  close(c->fd);
  c->fd = -1;
  return 0;
}

static int play(replay *r, const pn_step *step) {
  if (step->kind == PN_STEP_CONNECT) {
    return do_connect(r, step);
  }
  client *c = connected(r, step);
  if (c == NULL) {
    return -1;
  }
  switch (step->kind) {
    case PN_STEP_SEND:
      return do_send(r, step, c);
    case PN_STEP_EXPECT:
      return do_expect(r, step, c);
    case PN_STEP_EXPECT_CLOSE:
      return do_expect_close(r, step, c);
    case PN_STEP_EXPECT_SILENCE:
      return do_expect_silence(r, step, c);
    case PN_STEP_CLOSE:
      return do_close(c, step->reset);
    case PN_STEP_CONNECT:
      break;
  }
  return 0;
}

/* After the last step: nothing may be left unexpected in a client's buffer. */
static void check_nothing_left(replay *r, const pn_step *last) {
  pump(r, 0, -1);
  for (size_t i = 0; i < r->client_count; i++) {
    client *c = &r->clients[i];
    if (c->fd >= 0 && (c->inbox.len > c->inbox_used || c->ended)) {
      pn_strbuf shown = PN_STRBUF_INIT;
      pn_transcript_show(&shown, c->inbox.data, c->inbox_used, c->inbox.len);
      ct_fail_at(r->path, last->line, "client %s: after the last step, received \"%s\"%s", c->name,
                 shown.data != NULL ? shown.data : "", c->ended ? " and the server closed" : "");
      pn_strbuf_free(&shown);
    }
  }
}

/* Reads `listening on 127.0.0.1:PORT\n` from the server. Returns the port or -1. */
static int read_readiness(replay *r, int from_server, pn_strbuf *problem) {
  pn_strbuf line = PN_STRBUF_INIT;
  double deadline = now() + r->timeout;
  int port = -1;
  while (now() < deadline) {
    struct pollfd fd = {.fd = from_server, .events = POLLIN};
    if (poll(&fd, 1, 100) <= 0) {
      drain_server_stderr(r);
      continue;
    }
    char byte;
    if (read(from_server, &byte, 1) != 1) {
      pn_strbuf_puts(problem, "the server exited before its readiness line");
      r->silent_exit = line.len == 0;
      break;
    }
    if (byte != '\n') {
      pn_strbuf_append(&line, &byte, 1);
      if (line.len > 200) {
        break;
      }
      continue;
    }
    int end = 0;
    if (sscanf(line.data != NULL ? line.data : "", "listening on 127.0.0.1:%d%n", &port, &end) !=
            1 ||
        (size_t)end != line.len || port <= 0 || port > 65535) {
      pn_strbuf_printf(problem, "bad readiness line \"%s\"", line.data != NULL ? line.data : "");
      port = -1;
    }
    pn_strbuf_free(&line);
    return port;
  }
  if (problem->len == 0) {
    pn_strbuf_printf(problem, "no readiness line within %g s", r->timeout);
  }
  pn_strbuf_free(&line);
  return -1;
}

/* SIGTERM to the server's process group, SIGKILL after the timeout. Returns
 * its wait status, or -1 if it had to be killed. */
static int stop_server(replay *r) {
  if (r->reaped) {
    kill(-r->server, SIGKILL); /* anything it left behind */
    return r->exit_status;
  }
  kill(-r->server, SIGTERM);
  double deadline = now() + r->timeout;
  int status = 0;
  while (now() < deadline) {
    pid_t done = waitpid(r->server, &status, WNOHANG);
    if (done == r->server) {
      kill(-r->server, SIGKILL); /* anything it left behind */
      return status;
    }
    drain_server_stderr(r);
    usleep(10000);
  }
  kill(-r->server, SIGKILL);
  waitpid(r->server, &status, 0);
  return -1;
}

static void run_transcript(void *context) {
  const char *path = context;
  pn_golden_file file;
  char error[PN_GOLDEN_ERROR_MAX];
  if (pn_golden_load(path, &file, error) != 0) {
    ct_fail_at(path, 0, "%s", error);
    return;
  }
  pn_transcript transcript = {0};
  pn_strbuf problem = PN_STRBUF_INIT;
  if (!ct_holds(NULL, &file.header, &problem)) {
    ct_skip_at(path, file.header.line, "%s", problem.data != NULL ? problem.data : "");
    goto done;
  }
  if (pn_transcript_read(&file, &transcript, &problem) != 0) {
    ct_fail_at(path, 0, "%s", problem.data != NULL ? problem.data : "out of memory");
    goto done;
  }
  replay r = {.path = path, .timeout = case_timeout(), .server_err = -1};
  char *args[] = {"serve", (char *)transcript.server,           "--port",
                  "0",     (char *)ct_declared_python_option(), NULL};
  int to_server = -1;
  int from_server = -1;
  r.server = pn_impl_spawn(args, &to_server, &from_server, &r.server_err, &problem);
  if (r.server < 0) {
    ct_fail_at(path, file.header.line, "cannot start %s: %s", pn_impl_command(), problem.data);
    goto done;
  }
  fcntl(r.server_err, F_SETFL, fcntl(r.server_err, F_GETFL) | O_NONBLOCK);
  r.port = read_readiness(&r, from_server, &problem);
  int status = 0;
  if (r.port < 0 && r.silent_exit && waitpid(r.server, &status, 0) == r.server) {
    r.exit_status = status;
    r.reaped = true;
  }
  if (r.reaped && WIFEXITED(status) && WEXITSTATUS(status) == 2) {
    /* The protocol's refusal (exit 2 before any output): not this implementation's command. */
    drain_server_stderr(&r);
    ct_skip_at(path, file.header.line, "refused: serve %s %s: %.*s", transcript.server,
               ct_declared_python_option(),
               (int)(r.server_stderr.len > 400 ? 400 : r.server_stderr.len),
               r.server_stderr.data != NULL ? r.server_stderr.data : "");
    goto stopped;
  }
  if (r.port < 0) {
    ct_fail_at(path, file.header.line, "%s serve %s --port 0: %s", pn_impl_command(),
               transcript.server, problem.data);
  }
  for (size_t i = 0; r.port > 0 && i < transcript.count; i++) {
    if (play(&r, &transcript.steps[i]) != 0) {
      break;
    }
    if (i + 1 == transcript.count) {
      check_nothing_left(&r, &transcript.steps[i]);
    }
  }
  for (size_t i = 0; i < r.client_count; i++) {
    if (r.clients[i].fd >= 0) {
      close(r.clients[i].fd);
    }
    pn_strbuf_free(&r.clients[i].inbox);
  }
  status = stop_server(&r);
  if (status == -1) {
    ct_fail_at(path, file.header.line, "the server did not exit within %g s of SIGTERM", r.timeout);
  } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    ct_fail_at(path, file.header.line,
               "the server's status after SIGTERM was %s %d (want exit 0)%s%.*s",
               WIFEXITED(status) ? "exit" : "signal",
               WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
               r.server_stderr.len > 0 ? "; stderr: " : "",
               (int)(r.server_stderr.len > 800 ? 800 : r.server_stderr.len),
               r.server_stderr.data != NULL ? r.server_stderr.data : "");
  }
stopped:
  close(to_server);
  close(from_server);
  close(r.server_err);
  pn_strbuf_free(&r.server_stderr);
done:
  pn_strbuf_free(&problem);
  pn_transcript_free(&transcript);
  pn_golden_free(&file);
}

/* One test per transcript, named FILESTEM.transcript, in file-name order. */
static void register_transcripts(void) {
  signal(SIGPIPE, SIG_IGN);
  char *const *paths;
  size_t count = ct_golden_paths(TRANSCRIPT_DIR, &paths);
  if (count == 0) {
    ct_register_test("servers", "transcripts", TRANSCRIPT_DIR, 0, run_transcript,
                     (void *)TRANSCRIPT_DIR "/missing.txt");
  }
  for (size_t i = 0; i < count; i++) {
    ct_register_test(ct_golden_suite_name(paths[i]), "transcript", paths[i], 1, run_transcript,
                     paths[i]);
  }
}

CT_SETUP(register_transcripts)
