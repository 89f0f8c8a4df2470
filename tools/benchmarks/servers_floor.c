/*
 * The servers note's plain-C floor: the same three servers as `pyref serve`,
 * written the shortest way on one epoll loop, so that servers_bench can say
 * how far pyref's libuv servers are from what the machine does with no
 * library at all.
 *
 *   servers_floor echo|web|pubsub --port N
 *
 * Like the protocol's `serve` program it listens on 127.0.0.1 port N (0: any
 * free port), prints `listening on 127.0.0.1:PORT` once it accepts, and ends
 * on SIGTERM or SIGINT. It does the work the benchmark asks and no more:
 * echo writes back what it reads; web answers each request head ending in
 * "\r\n\r\n" (GET without a body, as wrk sends) with the counter in pyref's
 * exact bytes; pubsub broadcasts each "\r\n" line to every client with the
 * same `<IPv4Address(...)>` prefix (the lines of one read in one send).
 * No Twisted corner cases (bad requests, over-long lines, HEAD, keep-alive
 * rules): this is a floor, not a server.
 */
#define _GNU_SOURCE /* accept4 */

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* A client that lets this much output pile up is dropped. */
#define MAX_QUEUED ((size_t)16 << 20)
#define READ_CHUNK 65536

typedef enum kind { ECHO, WEB, PUBSUB } kind;

typedef struct buffer {
  char *data;
  size_t len, cap;
} buffer;

typedef struct conn {
  int fd;
  buffer in;  /* unparsed input (web, pubsub) */
  buffer out; /* output the socket did not take yet */
  int watching_out;
  int dead; /* closed; freed after the current batch of events */
  struct conn *prev, *next;
} conn;

typedef struct floor_server {
  kind kind;
  int epoll_fd;
  int port;
  unsigned long long requests;
  conn *conns;
  conn *dead;     /* closed during this batch of events, linked by next */
  buffer message; /* pubsub: the lines of one read, each with its prefix */
  time_t date_second;
  char date[32];
} floor_server;

static int append(buffer *b, const char *data, size_t len) {
  if (b->len + len > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + len) {
      cap *= 2;
    }
    char *grown = realloc(b->data, cap);
    if (grown == NULL) {
      return -1;
    }
    b->data = grown;
    b->cap = cap;
  }
  memcpy(b->data + b->len, data, len);
  b->len += len;
  return 0;
}

static void consume(buffer *b, size_t len) {
  memmove(b->data, b->data + len, b->len - len);
  b->len -= len;
}

/* Closes c; its memory waits for free_dead, as later events of the same
 * epoll_wait batch may still name it. */
static void drop(floor_server *s, conn *c) {
  if (c->dead) {
    return;
  }
  c->dead = 1;
  epoll_ctl(s->epoll_fd, EPOLL_CTL_DEL, c->fd, NULL);
  close(c->fd);
  if (c->prev) {
    c->prev->next = c->next;
  } else {
    s->conns = c->next;
  }
  if (c->next) {
    c->next->prev = c->prev;
  }
  c->next = s->dead;
  s->dead = c;
}

static void free_dead(floor_server *s) {
  while (s->dead) {
    conn *c = s->dead;
    s->dead = c->next;
    free(c->in.data);
    free(c->out.data);
    free(c);
  }
}

static void watch_output(floor_server *s, conn *c, int on) {
  if (c->watching_out == on) {
    return;
  }
  struct epoll_event event = {.events = EPOLLIN | (on ? EPOLLOUT : 0), .data.ptr = c};
  epoll_ctl(s->epoll_fd, EPOLL_CTL_MOD, c->fd, &event);
  c->watching_out = on;
}

/* Writes now what the socket takes and queues the rest; -1 when the client
 * is gone or hopelessly behind (the caller drops it). */
static int send_bytes(floor_server *s, conn *c, const char *data, size_t len) {
  if (c->out.len == 0) {
    ssize_t n = send(c->fd, data, len, MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN) {
      return -1;
    }
    if (n > 0) {
      data += n;
      len -= (size_t)n;
    }
    if (len == 0) {
      return 0;
    }
  }
  if (c->out.len + len > MAX_QUEUED || append(&c->out, data, len) != 0) {
    return -1;
  }
  watch_output(s, c, 1);
  return 0;
}

static int flush_output(floor_server *s, conn *c) {
  while (c->out.len > 0) {
    ssize_t n = send(c->fd, c->out.data, c->out.len, MSG_NOSIGNAL);
    if (n < 0) {
      return errno == EAGAIN ? 0 : -1;
    }
    consume(&c->out, (size_t)n);
  }
  watch_output(s, c, 0);
  return 0;
}

static const char *http_date(floor_server *s) {
  static const char *const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char *const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  time_t now = time(NULL);
  if (now != s->date_second) {
    struct tm tm;
    gmtime_r(&now, &tm);
    snprintf(s->date, sizeof s->date, "%s, %02d %s %4d %02d:%02d:%02d GMT", kDays[tm.tm_wday],
             tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    s->date_second = now;
  }
  return s->date;
}

/* Every complete request head in c->in gets its answer, in one send. */
static int serve_web(floor_server *s, conn *c) {
  char answers[READ_CHUNK];
  size_t used = 0;
  size_t start = 0;
  char *end;
  while ((end = memmem(c->in.data + start, c->in.len - start, "\r\n\r\n", 4)) != NULL) {
    char body[48];
    int body_len = snprintf(body, sizeof body, "I am request #%llu\n", ++s->requests);
    if (used + 256 > sizeof answers) {
      if (send_bytes(s, c, answers, used) != 0) {
        return -1;
      }
      used = 0;
    }
    used += (size_t)snprintf(answers + used, sizeof answers - used,
                             "HTTP/1.1 200 OK\r\nServer: TwistedWeb/22.4.0\r\nDate: %s\r\n"
                             "Content-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s",
                             http_date(s), body_len, body);
    start = (size_t)(end - c->in.data) + 4;
  }
  consume(&c->in, start);
  return used > 0 ? send_bytes(s, c, answers, used) : 0;
}

/* Every "\r\n" line in c->in goes to every client: all the lines of one read
 * in one send per client, as Twisted's buffered transport does. Returns -1
 * when c itself must go; a receiver that cannot keep up is dropped here. */
static int serve_pubsub(floor_server *s, conn *c) {
  char prefix[96];
  int prefix_len = snprintf(prefix, sizeof prefix,
                            "<IPv4Address(type='TCP', host='127.0.0.1', port=%d)>", s->port);
  s->message.len = 0;
  size_t start = 0;
  char *end;
  while ((end = memmem(c->in.data + start, c->in.len - start, "\r\n", 2)) != NULL) {
    size_t line_len = (size_t)(end - c->in.data) - start + 2;
    if (line_len > READ_CHUNK || append(&s->message, prefix, (size_t)prefix_len) != 0 ||
        append(&s->message, c->in.data + start, line_len) != 0) {
      return -1;
    }
    start += line_len;
  }
  consume(&c->in, start);
  if (c->in.len > READ_CHUNK) {
    return -1;
  }
  conn *next;
  for (conn *to = s->conns; to != NULL && s->message.len > 0; to = next) {
    next = to->next;
    if (send_bytes(s, to, s->message.data, s->message.len) != 0) {
      drop(s, to);
    }
  }
  return c->dead ? -1 : 0;
}

/* Reads what is there and answers; -1 when the client is gone. */
static int on_readable(floor_server *s, conn *c) {
  char chunk[READ_CHUNK];
  ssize_t n = recv(c->fd, chunk, sizeof chunk, 0);
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
    return -1;
  }
  if (n < 0) {
    return 0;
  }
  if (s->kind == ECHO) {
    return send_bytes(s, c, chunk, (size_t)n);
  }
  if (append(&c->in, chunk, (size_t)n) != 0) {
    return -1;
  }
  return s->kind == WEB ? serve_web(s, c) : serve_pubsub(s, c);
}

static void accept_all(floor_server *s, int listener) {
  for (;;) {
    int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      return;
    }
    conn *c = calloc(1, sizeof *c);
    if (c == NULL) {
      close(fd);
      continue;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->fd = fd;
    c->next = s->conns;
    if (s->conns) {
      s->conns->prev = c;
    }
    s->conns = c;
    struct epoll_event event = {.events = EPOLLIN, .data.ptr = c};
    epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, fd, &event);
  }
}

static int listen_on(int port, int *bound_port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof address;
  if (fd < 0 || bind(fd, (struct sockaddr *)&address, sizeof address) != 0 ||
      listen(fd, 4096) != 0 || getsockname(fd, (struct sockaddr *)&address, &len) != 0) {
    perror("servers_floor: listen");
    return -1;
  }
  *bound_port = ntohs(address.sin_port);
  return fd;
}

int main(int argc, char **argv) {
  floor_server s = {0};
  if (argc != 4 || strcmp(argv[2], "--port") != 0) {
    fprintf(stderr, "usage: servers_floor echo|web|pubsub --port N\n");
    return 2;
  }
  if (strcmp(argv[1], "echo") == 0) {
    s.kind = ECHO;
  } else if (strcmp(argv[1], "web") == 0) {
    s.kind = WEB;
  } else if (strcmp(argv[1], "pubsub") == 0) {
    s.kind = PUBSUB;
  } else {
    fprintf(stderr, "servers_floor: unknown server %s\n", argv[1]);
    return 2;
  }
  int listener = listen_on(atoi(argv[3]), &s.port);
  if (listener < 0) {
    return 1;
  }
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  sigprocmask(SIG_BLOCK, &stop, NULL);
  int signal_fd = signalfd(-1, &stop, SFD_CLOEXEC);
  s.epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event event = {.events = EPOLLIN, .data.ptr = &listener};
  epoll_ctl(s.epoll_fd, EPOLL_CTL_ADD, listener, &event);
  event.data.ptr = &signal_fd;
  epoll_ctl(s.epoll_fd, EPOLL_CTL_ADD, signal_fd, &event);
  printf("listening on 127.0.0.1:%d\n", s.port);
  fflush(stdout);
  struct epoll_event events[256];
  for (;;) {
    int n = epoll_wait(s.epoll_fd, events, 256, -1);
    for (int i = 0; i < n; i++) {
      void *what = events[i].data.ptr;
      if (what == &signal_fd) {
        while (s.conns) {
          drop(&s, s.conns);
        }
        free_dead(&s);
        free(s.message.data);
        return 0;
      }
      if (what == &listener) {
        accept_all(&s, listener);
        continue;
      }
      conn *c = what;
      if (c->dead) {
        continue;
      }
      int failed = 0;
      if (events[i].events & EPOLLOUT) {
        failed = flush_output(&s, c) != 0;
      }
      if (!failed && (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) {
        failed = on_readable(&s, c) != 0;
      }
      if (failed) {
        drop(&s, c);
      }
    }
    free_dead(&s);
  }
}
