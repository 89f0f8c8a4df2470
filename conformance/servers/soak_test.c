/*
 * The servers note's soak test (manual: not in `bazel test //...`):
 *
 *   bazel test //conformance/servers:soak_test            # 10,000 connections, 60 s per server
 *   bazel test //conformance/servers:soak_test --test_env=PYNOTES_SOAK_SECONDS=20 \
 *       --test_env=PYNOTES_SOAK_CONNECTIONS=2000 --test_filter='Soak.web'
 *
 * For each server (Soak.echo, Soak.web, Soak.pubsub) it starts `IMPL serve
 * NAME --port 0` (conformance/harness/impl.h: pyref, or PYNOTES_IMPL), opens
 * PYNOTES_SOAK_CONNECTIONS connections (default 10,000; RLIMIT_NOFILE is
 * raised to fit, and the test fails saying so when the hard limit is too
 * low), and keeps them busy for PYNOTES_SOAK_SECONDS (default 60):
 *
 * - Half are well-behaved. Echo and web clients send a message or a GET
 *   about once a second on the same connection and check each answer byte
 *   for byte (the response bytes are those of golden/servers/web_get.txt,
 *   recorded from Twisted; the counter must grow). Pubsub clients all
 *   subscribe; they take turns publishing `soak G` twice a second and
 *   every one of them must receive every line exactly once, with Twisted's
 *   `<IPv4Address(...)>` prefix.
 * - The other half are abusive, a third each: slowloris (one byte every few
 *   seconds of a line or request that never ends), garbage (random bytes:
 *   binary through echo, malformed requests to web, lines over
 *   LineReceiver.MAX_LENGTH to pubsub; reconnecting when the server closes),
 *   and disconnects mid-line (half a line or request, then a reset, then a
 *   new connection). Abusive clients read and discard what they get: slow
 *   readers are conn.h's output bound, not this test's subject.
 *
 * It fails when a well-behaved client gets a wrong byte, is closed, or waits
 * more than PYNOTES_CASE_TIMEOUT seconds (default 20) for an answer; when a
 * pubsub line is lost or duplicated; when the server's resident memory
 * (VmRSS of /proc/PID/status, sampled each second) grows from the peak of
 * the run's second quarter to the peak of its last quarter by more than
 * 5% + 4 MiB; or when the server does not exit 0 on SIGTERM. Everything
 * stays on 127.0.0.1 and every loop ends by the clock.
 *
 * Under --config=asan add --test_env=ASAN_OPTIONS=quarantine_size_mb=0: the
 * server inherits it, and ASan's quarantine otherwise holds freed memory back
 * (up to 256 MiB), which reads as growth.
 */
#define _GNU_SOURCE /* memmem */

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conformance/harness/declared.h"
#include "conformance/harness/impl.h"
#include "conformance/shim/ctest.h"
#include "ref/protocol/strbuf.h"

#define CARRY_MAX 2048
/* Each line is one write per connection: at 20 a second, 10,000 subscribers
 * ask 200,000 writes a second of a loaded 2-core machine that also runs the
 * clients, which is a benchmark, not a soak. */
#define PUBLISH_PER_SECOND 2
#define CONNECTS_PER_TICK 250
#define TICK_SECONDS 0.05
#define MAX_RSS_SAMPLES 4096
/* Reported problems per test: past this they are only counted. */
#define MAX_REPORTS 10

typedef enum service { ECHO, WEB, PUBSUB } service;
typedef enum role { GOOD, SLOWLORIS, GARBAGE, MIDLINE } role;
typedef enum state { IDLE, CONNECTING, OPEN } state;

typedef struct client {
  int fd;
  role role;
  state state;
  int index;
  double next_action; /* the next send, or reconnect when IDLE */
  /* Well-behaved only. */
  double waiting_since; /* an answer is owed since then; 0: none */
  char carry[CARRY_MAX];
  size_t carry_len;
  char *expected; /* echo: the message owed back */
  size_t expected_len, expected_got;
  unsigned long long last_count; /* web: the counter of the last answer */
  long answers;
  uint8_t *seen; /* pubsub: bit G set when `soak G` arrived */
  int synced;    /* pubsub: heard a sync line */
  /* Abusive only. */
  size_t slow_sent; /* slowloris: bytes sent of its endless line */
  long reconnects;
} client;

typedef struct soak {
  service service;
  int port;
  pid_t server;
  int server_err;         /* drained, so the server never blocks on it */
  char stderr_tail[2048]; /* the last of the server's stderr, NUL-terminated */
  size_t stderr_len;
  int epoll_fd;
  int connections;
  double seconds, timeout;
  client *clients;
  uint64_t random;
  char prefix[96]; /* pubsub's `<IPv4Address(...)>` */
  size_t prefix_len;
  long published; /* pubsub: soak lines sent */
  long max_lines;
  long problems, reconnects, garbage_bytes;
  double rss_at[MAX_RSS_SAMPLES];
  long rss_kib[MAX_RSS_SAMPLES];
  int rss_count;
  double next_sample; /* when VmRSS is read next */
} soak;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double env_number(const char *name, double fallback) {
  const char *text = getenv(name);
  double value = text != NULL ? atof(text) : 0;
  return value > 0 ? value : fallback;
}

/* xorshift64: the same abuse on every run. */
static uint64_t next_random(soak *s) {
  s->random ^= s->random << 13;
  s->random ^= s->random >> 7;
  s->random ^= s->random << 17;
  return s->random;
}

static double jitter(soak *s, double low, double high) {
  return low + (high - low) * (double)(next_random(s) % 10000) / 10000.0;
}

static void problem(soak *s, const client *c, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(soak *s, const client *c, const char *format, ...) {
  if (++s->problems > MAX_REPORTS) {
    return;
  }
  pn_strbuf message = PN_STRBUF_INIT;
  va_list args;
  va_start(args, format);
  pn_strbuf_vprintf(&message, format, args);
  va_end(args);
  CT_FAIL("well-behaved client %d: %s", c != NULL ? c->index : -1,
          message.data != NULL ? message.data : "?");
  pn_strbuf_free(&message);
}

static long server_rss_kib(pid_t pid) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
  FILE *status = fopen(path, "r");
  if (status == NULL) {
    return -1;
  }
  char line[256];
  long kib = -1;
  while (fgets(line, sizeof line, status) != NULL) {
    if (sscanf(line, "VmRSS: %ld kB", &kib) == 1) {
      break;
    }
  }
  fclose(status);
  return kib;
}

/* ---- connections ---- */

static void watch(soak *s, client *c, uint32_t events, int op) {
  struct epoll_event event = {.events = events, .data.ptr = c};
  epoll_ctl(s->epoll_fd, op, c->fd, &event);
}

static int start_connect(soak *s, client *c) {
  c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (c->fd < 0) {
    return -1;
  }
  int one = 1;
  setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port)};
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(c->fd, (struct sockaddr *)&address, sizeof address) == 0) {
    c->state = OPEN;
    watch(s, c, EPOLLIN, EPOLL_CTL_ADD);
    return 0;
  }
  if (errno != EINPROGRESS) {
    close(c->fd);
    c->fd = -1;
    return -1;
  }
  c->state = CONNECTING;
  watch(s, c, EPOLLOUT, EPOLL_CTL_ADD);
  return 0;
}

/* Abusive clients mostly reset (no TIME_WAIT to use up the ports); one
 * close in sixteen is an orderly FIN. */
static void disconnect(soak *s, client *c, int reset) {
  if (c->fd < 0) {
    return;
  }
  if (reset) {
    struct linger linger = {.l_onoff = 1, .l_linger = 0};
    setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
  }
  epoll_ctl(s->epoll_fd, EPOLL_CTL_DEL, c->fd, NULL);
  close(c->fd);
  c->fd = -1;
  c->state = IDLE;
  c->slow_sent = 0;
}

static void reconnect_later(soak *s, client *c, double at) {
  disconnect(s, c, next_random(s) % 16 != 0);
  c->next_action = at;
}

/* Sends what the socket takes now. Well-behaved sends are small and the
 * server reads them, so a short write is a problem for them; abusive
 * clients do not care. */
static size_t send_some(client *c, const char *data, size_t len) {
  ssize_t n = send(c->fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT);
  return n > 0 ? (size_t)n : 0;
}

/* ---- well-behaved clients ---- */

static void good_send(soak *s, client *c, double t) {
  char message[512];
  size_t len;
  if (s->service == ECHO) {
    int head = snprintf(message, sizeof message, "echo %d %ld ", c->index, c->answers);
    size_t body = 16 + next_random(s) % 200;
    for (size_t i = 0; i < body; i++) {
      message[(size_t)head + i] = (char)(next_random(s) & 0xff);
    }
    len = (size_t)head + body;
    memcpy(c->expected, message, len);
    c->expected_len = len;
    c->expected_got = 0;
  } else {
    len =
        (size_t)snprintf(message, sizeof message,
                         "GET /soak/%d HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n", c->index, s->port);
  }
  if (send_some(c, message, len) != len) {
    problem(s, c, "could not send its %zu-byte request at once", len);
  }
  c->waiting_since = t;
}

/* The answer to one GET, as golden/servers/web_get.txt has it from Twisted:
 * status, Server, Date, Content-Type, Content-Length, then the body, each
 * byte checked. Returns 1 with *used set, 0 when incomplete, -1 when wrong. */
static int check_web_answer(soak *s, client *c, const char *answer, size_t len, size_t *used) {
  static const char kHead[] = "HTTP/1.1 200 OK\r\nServer: TwistedWeb/22.4.0\r\nDate: ";
  static const char kType[] = "\r\nContent-Type: text/plain\r\nContent-Length: ";
  const size_t head_prefix = sizeof kHead - 1, type_len = sizeof kType - 1;
  const size_t date_len = 29; /* "Wed, 25 Nov 2026 09:20:55 GMT" */
  const char *end = memmem(answer, len, "\r\n\r\n", 4);
  if (end == NULL) {
    return 0;
  }
  size_t head_len = (size_t)(end - answer) + 4;
  const char *type = answer + head_prefix + date_len;
  char *after_length = NULL;
  long content_length = -1;
  if (head_len > head_prefix + date_len + type_len && memcmp(answer, kHead, head_prefix) == 0 &&
      memcmp(type, kType, type_len) == 0) {
    content_length = strtol(type + type_len, &after_length, 10);
  }
  if (after_length == NULL || after_length != end || content_length <= 0 || content_length > 64) {
    problem(s, c, "unexpected response head: %.*s", (int)head_len, answer);
    return -1;
  }
  if (len < head_len + (size_t)content_length) {
    return 0;
  }
  const char *body = answer + head_len;
  char text[80]; /* the body, NUL-terminated for strtoull */
  memcpy(text, body, (size_t)content_length);
  text[content_length] = '\0';
  char expected[80];
  unsigned long long count = strtoull(text + (content_length > 14 ? 14 : 0), NULL, 10);
  int expected_len = snprintf(expected, sizeof expected, "I am request #%llu\n", count);
  if (expected_len != content_length || memcmp(body, expected, (size_t)expected_len) != 0 ||
      count <= c->last_count) {
    problem(s, c, "unexpected body (after request #%llu): %.*s", c->last_count, (int)content_length,
            body);
    return -1;
  }
  c->last_count = count;
  *used = head_len + (size_t)content_length;
  return 1;
}

static void good_web_received(soak *s, client *c, const char *data, size_t len) {
  if (c->carry_len + len > CARRY_MAX) {
    problem(s, c, "more than %d bytes without a complete answer", CARRY_MAX);
    c->carry_len = 0;
    return;
  }
  memcpy(c->carry + c->carry_len, data, len);
  c->carry_len += len;
  size_t used = 0;
  int rc;
  while ((rc = check_web_answer(s, c, c->carry, c->carry_len, &used)) == 1) {
    if (c->waiting_since == 0) {
      problem(s, c, "an answer it did not ask for");
    }
    c->waiting_since = 0;
    c->answers++;
    memmove(c->carry, c->carry + used, c->carry_len - used);
    c->carry_len -= used;
  }
  if (rc < 0) {
    c->carry_len = 0;
  }
}

static void good_echo_received(soak *s, client *c, const char *data, size_t len) {
  if (c->expected_got + len > c->expected_len ||
      memcmp(c->expected + c->expected_got, data, len) != 0) {
    problem(s, c, "echo sent back other bytes (%zu bytes at offset %zu of a %zu-byte message)", len,
            c->expected_got, c->expected_len);
    c->expected_got = c->expected_len = 0;
    c->waiting_since = 0; /* reported once, not again as a hang */
    return;
  }
  c->expected_got += len;
  if (c->expected_got == c->expected_len) {
    c->waiting_since = 0;
    c->answers++;
  }
}

static void good_pubsub_line(soak *s, client *c, const char *line, size_t len) {
  long g = -1;
  int used = 0;
  char text[64];
  size_t text_len = len - s->prefix_len;
  if (len < s->prefix_len || memcmp(line, s->prefix, s->prefix_len) != 0 ||
      text_len >= sizeof text) {
    problem(s, c, "unexpected line: %.*s", (int)(len > 200 ? 200 : len), line);
    return;
  }
  memcpy(text, line + s->prefix_len, text_len);
  text[text_len] = '\0';
  if (strcmp(text, "soak-sync") == 0) {
    c->synced = 1;
    return;
  }
  if (sscanf(text, "soak %ld%n", &g, &used) != 1 || (size_t)used != text_len || g < 0 ||
      g >= s->max_lines) {
    problem(s, c, "unexpected line: %s", text);
    return;
  }
  if (c->seen[g / 8] & (1u << (g % 8))) {
    problem(s, c, "line `soak %ld` arrived twice", g);
  }
  c->seen[g / 8] |= (uint8_t)(1u << (g % 8));
  c->answers++;
}

static void good_pubsub_received(soak *s, client *c, const char *data, size_t len) {
  while (len > 0) {
    const char *newline = memchr(data, '\n', len);
    size_t take = newline != NULL ? (size_t)(newline - data) + 1 : len;
    if (c->carry_len + take > CARRY_MAX) {
      problem(s, c, "a line of more than %d bytes", CARRY_MAX);
      c->carry_len = 0;
      return;
    }
    memcpy(c->carry + c->carry_len, data, take);
    c->carry_len += take;
    data += take;
    len -= take;
    if (newline != NULL) {
      if (c->carry_len < 2 || c->carry[c->carry_len - 2] != '\r') {
        problem(s, c, "a line not ended by \\r\\n");
      } else {
        good_pubsub_line(s, c, c->carry, c->carry_len - 2);
      }
      c->carry_len = 0;
    }
  }
}

/* ---- abusive clients ---- */

static void abuse(soak *s, client *c, double t) {
  char bytes[20000];
  switch (c->role) {
    case SLOWLORIS: {
      /* web: a request head that never ends; echo and pubsub: a line that
       * never ends. */
      static const char kStart[] = "GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
      char next =
          s->service == WEB && c->slow_sent < sizeof kStart - 1 ? kStart[c->slow_sent] : 'z';
      if (send_some(c, &next, 1) == 1) {
        c->slow_sent++;
      }
      c->next_action = t + jitter(s, 2, 6);
      break;
    }
    case GARBAGE: {
      size_t len;
      if (s->service == PUBSUB) {
        /* No delimiter: past MAX_LENGTH the server must drop it. */
        len = 4096;
        for (size_t i = 0; i < len; i++) {
          bytes[i] = (char)('a' + next_random(s) % 26);
        }
      } else {
        len = 64 + next_random(s) % 2048;
        for (size_t i = 0; i < len; i++) {
          bytes[i] = (char)(next_random(s) & 0xff);
        }
        if (s->service == WEB) {
          memcpy(bytes + len, "\r\n\r\n", 4);
          len += 4;
        }
      }
      s->garbage_bytes += (long)send_some(c, bytes, len);
      c->next_action = t + jitter(s, 0.2, 1.0);
      if (s->service == ECHO && next_random(s) % 8 == 0) {
        reconnect_later(s, c, t + jitter(s, 0.2, 1.0));
      }
      break;
    }
    case MIDLINE: {
      static const char *const kHalves[] = {"half a li", "GET /mid HTTP/1.1\r\nHo",
                                            "half a line, then gone"};
      const char *half = kHalves[s->service];
      send_some(c, half, strlen(half));
      reconnect_later(s, c, t + jitter(s, 1.0, 3.0));
      break;
    }
    case GOOD:
      break;
  }
}

/* ---- the loop ---- */

static void on_event(soak *s, client *c, uint32_t events) {
  if (c->state == CONNECTING) {
    int error = 0;
    socklen_t error_len = sizeof error;
    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &error, &error_len);
    if (error != 0) {
      if (c->role == GOOD) {
        problem(s, c, "cannot connect: %s", strerror(error));
      }
      reconnect_later(s, c, now() + 1);
      return;
    }
    c->state = OPEN;
    watch(s, c, EPOLLIN, EPOLL_CTL_MOD);
    return;
  }
  if (!(events & (EPOLLIN | EPOLLHUP | EPOLLERR))) {
    return;
  }
  char chunk[65536];
  for (int reads = 0; reads < 4; reads++) {
    ssize_t n = recv(c->fd, chunk, sizeof chunk, MSG_DONTWAIT);
    if (n > 0) {
      if (c->role == GOOD) {
        if (s->service == ECHO) {
          good_echo_received(s, c, chunk, (size_t)n);
        } else if (s->service == WEB) {
          good_web_received(s, c, chunk, (size_t)n);
        } else {
          good_pubsub_received(s, c, chunk, (size_t)n);
        }
      }
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      return;
    }
    /* The server closed it. */
    if (c->role == GOOD) {
      problem(s, c, "the server closed the connection (%s)", n == 0 ? "EOF" : strerror(errno));
      disconnect(s, c, 0);
      c->next_action = 1e300;
    } else {
      c->reconnects++;
      s->reconnects++;
      reconnect_later(s, c, now() + jitter(s, 0.5, 1.5));
    }
    return;
  }
}

/* Keeps the last of the server's stderr (for failure messages) and empties
 * the pipe, so the server never blocks on it. */
static void drain_server_stderr(soak *s) {
  char drained[4096];
  ssize_t n;
  while (s->server_err >= 0 && (n = read(s->server_err, drained, sizeof drained)) > 0) {
    size_t keep = (size_t)n < sizeof s->stderr_tail - 1 ? (size_t)n : sizeof s->stderr_tail - 1;
    size_t room = sizeof s->stderr_tail - 1 - keep;
    size_t old = s->stderr_len < room ? s->stderr_len : room;
    memmove(s->stderr_tail, s->stderr_tail + s->stderr_len - old, old);
    memcpy(s->stderr_tail + old, drained + (size_t)n - keep, keep);
    s->stderr_len = old + keep;
    s->stderr_tail[s->stderr_len] = '\0';
  }
}

static void sample_rss(soak *s, double start) {
  drain_server_stderr(s);
  long kib = server_rss_kib(s->server);
  if (kib >= 0 && s->rss_count < MAX_RSS_SAMPLES) {
    s->rss_at[s->rss_count] = now() - start;
    s->rss_kib[s->rss_count++] = kib;
  }
}

/* Runs the loop until `until`, doing what is due each tick. */
static void run_until(soak *s, double until, double start, int publishing, int acting) {
  double next_tick = 0, next_publish = now();
  struct epoll_event events[1024];
  double t;
  while ((t = now()) < until) {
    int n = epoll_wait(s->epoll_fd, events, 1024, 10);
    for (int i = 0; i < n; i++) {
      on_event(s, events[i].data.ptr, events[i].events);
    }
    t = now();
    if (t >= s->next_sample) {
      sample_rss(s, start);
      s->next_sample = t + 1;
    }
    if (publishing && t >= next_publish && s->published < s->max_lines) {
      int good_count = (s->connections + 1) / 2;
      client *from = &s->clients[2 * (int)(s->published % good_count)];
      char line[64];
      int len = snprintf(line, sizeof line, "soak %ld\r\n", s->published);
      if (from->state == OPEN && send_some(from, line, (size_t)len) != (size_t)len) {
        problem(s, from, "could not publish `soak %ld`", s->published);
      }
      s->published++;
      next_publish += 1.0 / PUBLISH_PER_SECOND;
    }
    if (t < next_tick) {
      continue;
    }
    next_tick = t + TICK_SECONDS;
    int connects = 0;
    for (int i = 0; i < s->connections && connects < CONNECTS_PER_TICK; i++) {
      client *c = &s->clients[i];
      if (c->state != IDLE || c->next_action > t) {
        continue;
      }
      connects++;
      if (start_connect(s, c) != 0) {
        if (c->role == GOOD) {
          problem(s, c, "cannot connect: %s", strerror(errno));
          c->next_action = 1e300;
        } else {
          c->next_action = t + 1;
        }
      } else {
        c->next_action = t + jitter(s, 0.1, 1.0);
      }
    }
    for (int i = 0; i < s->connections; i++) {
      client *c = &s->clients[i];
      if (c->state != OPEN) {
        continue;
      }
      if (c->role == GOOD) {
        if (c->waiting_since > 0 && t - c->waiting_since > s->timeout) {
          problem(s, c, "no answer within %g s", s->timeout);
          c->waiting_since = 0;
        }
        if (acting && s->service != PUBSUB && c->waiting_since == 0 && c->next_action <= t) {
          good_send(s, c, t);
          c->next_action = t + jitter(s, 0.5, 1.5);
        }
      } else if (acting && c->next_action <= t) {
        abuse(s, c, t);
      }
    }
  }
}

static int all_connected_and(soak *s, int need_sync) {
  for (int i = 0; i < s->connections; i += 2) {
    if (s->clients[i].state != OPEN || (need_sync && !s->clients[i].synced)) {
      return 0;
    }
  }
  return 1;
}

/* Pubsub: the subscribers the server knows of are those that hear a sync
 * line; lines are sent until every well-behaved client has. */
static void sync_subscribers(soak *s, double start) {
  double give_up = now() + s->timeout;
  while (!all_connected_and(s, 1)) {
    if (now() > give_up) {
      problem(s, NULL, "not every subscriber heard a line within %g s", s->timeout);
      return;
    }
    if (s->clients[0].state == OPEN) {
      send_some(&s->clients[0], "soak-sync\r\n", 11);
    }
    run_until(s, now() + 0.2, start, 0, 0);
  }
}

static void check_pubsub_delivery(soak *s) {
  long missing_clients = 0;
  for (int i = 0; i < s->connections; i += 2) {
    client *c = &s->clients[i];
    if (c->answers != s->published) {
      if (++missing_clients <= 3) {
        for (long g = 0; g < s->published; g++) {
          if (!(c->seen[g / 8] & (1u << (g % 8)))) {
            problem(s, c, "never received `soak %ld` (%ld of %ld lines arrived)", g, c->answers,
                    s->published);
            break;
          }
        }
      }
    }
  }
  if (missing_clients > 0) {
    CT_FAIL("%ld well-behaved subscribers missed lines", missing_clients);
  }
}

/* The peak of VmRSS over samples taken in [from, to) seconds of the run. */
static long rss_peak(const soak *s, double from, double to) {
  long peak = -1;
  for (int i = 0; i < s->rss_count; i++) {
    if (s->rss_at[i] >= from && s->rss_at[i] < to && s->rss_kib[i] > peak) {
      peak = s->rss_kib[i];
    }
  }
  return peak;
}

static int stop_server(soak *s) {
  kill(-s->server, SIGTERM);
  double deadline = now() + s->timeout;
  int status = 0;
  while (now() < deadline) {
    if (waitpid(s->server, &status, WNOHANG) == s->server) {
      kill(-s->server, SIGKILL);
      return status;
    }
    usleep(10000);
  }
  kill(-s->server, SIGKILL);
  waitpid(s->server, &status, 0);
  return -1;
}

static int raise_fd_limit(int needed) {
  struct rlimit limit;
  getrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < (rlim_t)needed) {
    CT_FAIL(
        "RLIMIT_NOFILE's hard limit is %llu here, %d descriptors are needed (the sandbox "
        "limits it: lower PYNOTES_SOAK_CONNECTIONS)",
        (unsigned long long)limit.rlim_max, needed);
    return -1;
  }
  if (limit.rlim_cur < (rlim_t)needed) {
    limit.rlim_cur = (rlim_t)needed;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
      CT_FAIL("cannot raise RLIMIT_NOFILE to %d: %s", needed, strerror(errno));
      return -1;
    }
  }
  return 0;
}

static void run_soak(service service_kind, const char *name) {
  signal(SIGPIPE, SIG_IGN);
  soak s = {.service = service_kind, .random = 0x9e3779b97f4a7c15ull, .server_err = -1};
  s.connections = (int)env_number("PYNOTES_SOAK_CONNECTIONS", 10000);
  s.seconds = env_number("PYNOTES_SOAK_SECONDS", 60);
  s.timeout = env_number("PYNOTES_CASE_TIMEOUT", 20);
  s.max_lines = (long)(s.seconds * PUBLISH_PER_SECOND) + 64;
  /* The server holds one descriptor per connection too; it inherits this. */
  if (raise_fd_limit(s.connections + 256) != 0) {
    return;
  }
  s.clients = calloc((size_t)s.connections, sizeof *s.clients);
  CT_ASSERT_TRUE(s.clients != NULL);
  for (int i = 0; i < s.connections; i++) {
    client *c = &s.clients[i];
    c->fd = -1;
    c->index = i;
    c->role = i % 2 == 0 ? GOOD : (role)(SLOWLORIS + (i / 2) % 3);
    if (c->role == GOOD) {
      c->expected = malloc(512);
      c->seen = calloc((size_t)s.max_lines / 8 + 1, 1);
      CT_ASSERT_TRUE(c->expected != NULL && c->seen != NULL);
    }
  }
  char *args[] = {"serve", (char *)name, "--port", "0", (char *)ct_declared_python_option(), NULL};
  int to_server = -1, from_server = -1, server_err = -1;
  pn_strbuf why = PN_STRBUF_INIT;
  s.server = pn_impl_spawn(args, &to_server, &from_server, &server_err, &why);
  if (s.server < 0) {
    CT_FAIL("cannot start %s: %s", pn_impl_command(), why.data);
    goto done;
  }
  char line[128] = {0};
  for (size_t len = 0; len < sizeof line - 1 && read(from_server, line + len, 1) == 1; len++) {
    if (line[len] == '\n') {
      break;
    }
  }
  if (sscanf(line, "listening on 127.0.0.1:%d", &s.port) != 1) {
    CT_FAIL("%s serve %s said \"%s\", not its readiness line", pn_impl_command(), name, line);
    stop_server(&s);
    goto done;
  }
  fcntl(server_err, F_SETFL, fcntl(server_err, F_GETFL) | O_NONBLOCK);
  s.server_err = server_err;
  s.prefix_len = (size_t)snprintf(s.prefix, sizeof s.prefix,
                                  "<IPv4Address(type='TCP', host='127.0.0.1', port=%d)>", s.port);
  s.epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  double start = now();
  /* Open every connection (abusive ones start abusing at once). */
  double give_up = start + s.timeout + (double)s.connections / CONNECTS_PER_TICK * TICK_SECONDS;
  while (!all_connected_and(&s, 0) && now() < give_up && s.problems == 0) {
    run_until(&s, now() + TICK_SECONDS, start, 0, 1);
  }
  if (!all_connected_and(&s, 0)) {
    CT_FAIL("the well-behaved clients could not all connect within %.0f s", give_up - start);
  }
  if (s.service == PUBSUB) {
    sync_subscribers(&s, start);
  }
  double soak_start = now();
  run_until(&s, soak_start + s.seconds, start, s.service == PUBSUB, 1);
  /* Let the answers owed arrive: no new requests, abuse stops. */
  double settle_until = now() + s.timeout;
  for (;;) {
    int owed = 0;
    for (int i = 0; i < s.connections; i += 2) {
      client *c = &s.clients[i];
      owed += c->state == OPEN &&
              (c->waiting_since > 0 || (s.service == PUBSUB && c->answers < s.published));
    }
    if (owed == 0 || now() > settle_until) {
      break;
    }
    run_until(&s, now() + 0.2, start, 0, 0);
  }
  double offset = soak_start - start;
  long early = rss_peak(&s, offset + s.seconds / 4, offset + s.seconds / 2);
  long late = rss_peak(&s, offset + s.seconds * 3 / 4, offset + s.seconds);
  long answers = 0, least = -1;
  for (int i = 0; i < s.connections; i += 2) {
    answers += s.clients[i].answers;
    least = least < 0 || s.clients[i].answers < least ? s.clients[i].answers : least;
  }
  printf(
      "soak %s: %d connections for %.0f s; well-behaved answers %ld (fewest per client %ld)%s;"
      " abusive reconnects after a server close %ld; garbage bytes %ld\n",
      name, s.connections, s.seconds, answers, least,
      s.service == PUBSUB ? " (lines received)" : "", s.reconnects, s.garbage_bytes);
  printf(
      "soak %s: server VmRSS (KiB) at start of soak %ld, peak of 2nd quarter %ld, peak of last"
      " quarter %ld, samples:",
      name, rss_peak(&s, offset - 1, offset + 1), early, late);
  for (int i = 0; i < s.rss_count; i += s.rss_count / 20 + 1) {
    printf(" %.0fs=%ld", s.rss_at[i], s.rss_kib[i]);
  }
  printf("\n");
  if (s.service == PUBSUB) {
    check_pubsub_delivery(&s);
  } else if (least < 1) {
    CT_FAIL("a well-behaved client got no answer at all");
  }
  if (early <= 0 || late <= 0) {
    CT_FAIL("could not sample the server's VmRSS (/proc/%d/status)", (int)s.server);
  } else if ((double)late > (double)early * 1.05 + 4096) {
    CT_FAIL(
        "the server's memory grew: VmRSS peak %ld KiB in the soak's second quarter, %ld KiB "
        "in its last",
        early, late);
  }
  if (s.problems > MAX_REPORTS) {
    CT_FAIL("%ld problems in all (the first %d are above)", s.problems, MAX_REPORTS);
  }
  for (int i = 0; i < s.connections; i++) {
    disconnect(&s, &s.clients[i], 1);
  }
  int status = stop_server(&s);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    drain_server_stderr(&s);
    CT_FAIL("the server did not exit 0 after SIGTERM (wait status %d); its stderr ends: %s", status,
            s.stderr_tail);
  }
  close(s.epoll_fd);
done:
  close(to_server);
  close(from_server);
  close(server_err);
  for (int i = 0; i < s.connections; i++) {
    free(s.clients[i].expected);
    free(s.clients[i].seen);
  }
  free(s.clients);
  pn_strbuf_free(&why);
}

CT_TEST(Soak, echo) {
  run_soak(ECHO, "echo");
}

CT_TEST(Soak, web) {
  run_soak(WEB, "web");
}

CT_TEST(Soak, pubsub) {
  run_soak(PUBSUB, "pubsub");
}
