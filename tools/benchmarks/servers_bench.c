/*
 * The servers note's benchmark: pyref's servers, the note's Twisted programs
 * (the CPython peer) and a plain-C epoll floor (servers_floor.c), started
 * side by side in one run and measured in turn, round by round, with the
 * same clients. One line per measurement and server, `NAME IMPL NS` with
 * IMPL pyref, cpython or c:epoll (the floor), NS the median over the rounds:
 *
 *   echo_rtt     ns per round trip of 64 bytes, one client
 *   echo_50      ns per 64-byte round trip, 50 clients each keeping one
 *                message in flight (total time / total round trips)
 *   web_wrk      ns per request under `wrk -t2 -c50 -d10s` (1e9 / wrk's
 *                Requests/sec); at most 3 rounds, as each takes 10 s
 *   pubsub_100   ns per line delivered, 100 subscribers, one of them
 *                publishing 16-byte lines with at most 256 lines not yet
 *                delivered to every subscriber
 *
 *   servers_bench [ROUNDS]
 *
 * pyref and the floor are found in the runfiles (//ref:pyref,
 * :servers_floor), the Twisted programs in golden/servers/ under the working
 * directory (the repository's root, as tools/bench runs it), run by
 * /usr/bin/python3; wrk must be on PATH. Nothing
 * leaves 127.0.0.1, every loop is bounded in time, and each server is
 * stopped with SIGTERM before the next kind starts.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_ROUNDS 64
#define WEB_ROUNDS 3
#define IMPLS 3
#define MESSAGE 64
#define ECHO_CLIENTS 50
#define SUBSCRIBERS 100
#define PUBSUB_WINDOW 256
#define LINE_BYTES 16
/* Seconds each echo and pubsub round runs for. */
#define ROUND_SECONDS 1.0

static const char *const kImpls[IMPLS] = {"pyref", "cpython", "c:epoll"};

typedef struct server {
  pid_t pid;
  int port;
} server;

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *values, int n) {
  qsort(values, (size_t)n, sizeof *values, compare_doubles);
  return values[n / 2];
}

static _Noreturn void die(const char *what) {
  fprintf(stderr, "servers_bench: %s: %s\n", what, errno ? strerror(errno) : "failed");
  exit(1);
}

/* The runfiles directory of this binary (Bazel's layout). */
static void runfiles_path(const char *argv0, const char *relative, char out[PATH_MAX]) {
  const char *dir = getenv("RUNFILES_DIR");
  if (dir != NULL && dir[0] != '\0') {
    snprintf(out, PATH_MAX, "%s/pynotes/%s", dir, relative);
  } else {
    snprintf(out, PATH_MAX, "%s.runfiles/pynotes/%s", argv0, relative);
  }
  if (access(out, R_OK) != 0) {
    fprintf(stderr, "servers_bench: %s is missing (run through tools/bench)\n", out);
    exit(1);
  }
}

/* The servers running now: every exit path (die() included) stops them at
 * exit, so a failed run leaves no server behind. */
static pid_t running[IMPLS];

static void forget_server(pid_t pid) {
  for (int i = 0; i < IMPLS; i++) {
    if (running[i] == pid) {
      running[i] = 0;
    }
  }
}

static void stop_running_servers(void) {
  for (int i = 0; i < IMPLS; i++) {
    if (running[i] > 0) {
      kill(-running[i], SIGKILL);
      waitpid(running[i], NULL, 0);
      running[i] = 0;
    }
  }
}

/* Starts argv in its own process group and reads its `listening on
 * 127.0.0.1:PORT` line. */
static server start_server(char *const argv[]) {
  int out[2];
  if (pipe(out) != 0) {
    die("pipe");
  }
  pid_t pid = fork();
  if (pid < 0) {
    die("fork");
  }
  if (pid == 0) {
    setpgid(0, 0);
    dup2(out[1], 1);
    close(out[0]);
    close(out[1]);
    execv(argv[0], argv);
    _exit(127);
  }
  close(out[1]);
  for (int i = 0; i < IMPLS; i++) {
    if (running[i] == 0) {
      running[i] = pid;
      break;
    }
  }
  char line[128];
  size_t len = 0;
  while (len < sizeof line - 1) {
    ssize_t n = read(out[0], line + len, 1);
    if (n <= 0 || line[len] == '\n') {
      break;
    }
    len++;
  }
  line[len] = '\0';
  close(out[0]);
  server s = {.pid = pid, .port = 0};
  if (sscanf(line, "listening on 127.0.0.1:%d", &s.port) != 1) {
    fprintf(stderr, "servers_bench: %s did not start (said \"%s\")\n", argv[0], line);
    forget_server(pid);
    kill(-pid, SIGKILL);
    waitpid(pid, NULL, 0);
    exit(1);
  }
  return s;
}

static void stop_server(server s) {
  forget_server(s.pid);
  kill(-s.pid, SIGTERM);
  int status;
  for (int i = 0; i < 100; i++) {
    if (waitpid(s.pid, &status, WNOHANG) == s.pid) {
      return;
    }
    usleep(50000);
  }
  kill(-s.pid, SIGKILL);
  waitpid(s.pid, &status, 0);
}

static int connect_to(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
    die("connect");
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

static void send_all(int fd, const char *data, size_t len) {
  while (len > 0) {
    ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      die("send");
    }
    data += n;
    len -= (size_t)n;
  }
}

static void recv_exactly(int fd, char *data, size_t len) {
  while (len > 0) {
    ssize_t n = recv(fd, data, len, 0);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      die("recv (the server closed?)");
    }
    data += n;
    len -= (size_t)n;
  }
}

/* ---- echo ---- */

static double echo_round_trip(int port) {
  int fd = connect_to(port);
  char message[MESSAGE], back[MESSAGE];
  memset(message, 'e', sizeof message);
  for (int i = 0; i < 200; i++) { /* warm up */
    send_all(fd, message, sizeof message);
    recv_exactly(fd, back, sizeof back);
  }
  long trips = 0;
  double start = now_ns(), elapsed;
  do {
    for (int i = 0; i < 100; i++) {
      send_all(fd, message, sizeof message);
      recv_exactly(fd, back, sizeof back);
    }
    trips += 100;
    elapsed = now_ns() - start;
  } while (elapsed < ROUND_SECONDS * 1e9);
  if (memcmp(message, back, sizeof back) != 0) {
    fprintf(stderr, "servers_bench: echo sent back other bytes\n");
    exit(1);
  }
  close(fd);
  return elapsed / (double)trips;
}

/* Each client sends 64 bytes, waits for all 64 back, sends again. */
static double echo_many(int port) {
  int fds[ECHO_CLIENTS];
  size_t owed[ECHO_CLIENTS];
  int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  char message[MESSAGE];
  memset(message, 'm', sizeof message);
  for (int i = 0; i < ECHO_CLIENTS; i++) {
    fds[i] = connect_to(port);
    struct epoll_event event = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fds[i], &event);
  }
  long trips = 0;
  double start = now_ns(), deadline = start + ROUND_SECONDS * 1e9, end = start;
  for (int i = 0; i < ECHO_CLIENTS; i++) {
    send_all(fds[i], message, sizeof message);
    owed[i] = MESSAGE;
  }
  while ((end = now_ns()) < deadline) {
    struct epoll_event events[ECHO_CLIENTS];
    int n = epoll_wait(epoll_fd, events, ECHO_CLIENTS, 100);
    for (int e = 0; e < n; e++) {
      int i = (int)events[e].data.u32;
      char buffer[4096];
      ssize_t got = recv(fds[i], buffer, sizeof buffer, MSG_DONTWAIT);
      if (got <= 0) {
        if (got < 0 && errno == EAGAIN) {
          continue;
        }
        die("echo recv");
      }
      owed[i] -= (size_t)got < owed[i] ? (size_t)got : owed[i];
      if (owed[i] == 0) {
        trips++;
        send_all(fds[i], message, sizeof message);
        owed[i] = MESSAGE;
      }
    }
  }
  for (int i = 0; i < ECHO_CLIENTS; i++) {
    close(fds[i]);
  }
  close(epoll_fd);
  return (end - start) / (double)trips;
}

/* ---- web ---- */

/* Runs wrk against the counter; ns per request. */
static double web_wrk(int port) {
  char command[256];
  snprintf(command, sizeof command, "wrk -t2 -c50 -d10s http://127.0.0.1:%d/", port);
  FILE *out = popen(command, "r");
  if (out == NULL) {
    die("popen wrk");
  }
  char line[512];
  double per_second = 0;
  while (fgets(line, sizeof line, out) != NULL) {
    sscanf(line, " Requests/sec: %lf", &per_second);
    if (strstr(line, "Non-2xx") != NULL || strstr(line, "Socket errors") != NULL) {
      fprintf(stderr, "servers_bench: wrk on port %d: %s", port, line);
    }
  }
  if (pclose(out) != 0 || per_second <= 0) {
    fprintf(stderr, "servers_bench: wrk failed (is it installed? apt-get install wrk)\n");
    exit(1);
  }
  return 1e9 / per_second;
}

/* ---- pubsub ---- */

static long count_newlines(const char *data, size_t len) {
  long lines = 0;
  const char *end = data + len;
  while ((data = memchr(data, '\n', (size_t)(end - data))) != NULL) {
    lines++;
    data++;
  }
  return lines;
}

/* Reads whatever the subscribers have, counting lines; waits up to
 * timeout_ms for the first. */
static void pubsub_read(int epoll_fd, int *fds, long *received, int timeout_ms) {
  struct epoll_event events[SUBSCRIBERS];
  int n = epoll_wait(epoll_fd, events, SUBSCRIBERS, timeout_ms);
  for (int e = 0; e < n; e++) {
    int i = (int)events[e].data.u32;
    char buffer[65536];
    ssize_t got = recv(fds[i], buffer, sizeof buffer, MSG_DONTWAIT);
    if (got == 0 || (got < 0 && errno != EAGAIN)) {
      die("pubsub recv (a subscriber was dropped?)");
    }
    if (got > 0) {
      received[i] += count_newlines(buffer, (size_t)got);
    }
  }
}

static long fewest(const long *received) {
  long least = received[0];
  for (int i = 1; i < SUBSCRIBERS; i++) {
    least = received[i] < least ? received[i] : least;
  }
  return least;
}

static long total(const long *received) {
  long sum = 0;
  for (int i = 0; i < SUBSCRIBERS; i++) {
    sum += received[i];
  }
  return sum;
}

static double pubsub_fanout(int port) {
  int fds[SUBSCRIBERS];
  long received[SUBSCRIBERS] = {0};
  int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  for (int i = 0; i < SUBSCRIBERS; i++) {
    fds[i] = connect_to(port);
    struct epoll_event event = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fds[i], &event);
  }
  /* The server may accept the subscribers in any order: a line is sent
   * every 100 ms until each has heard one, then the stragglers drain. */
  double give_up = now_ns() + 30e9;
  while (fewest(received) == 0) {
    send_all(fds[0], "ready, steady...\r\n", 18);
    pubsub_read(epoll_fd, fds, received, 100);
    if (now_ns() > give_up) {
      fprintf(stderr, "servers_bench: pubsub never reached every subscriber\n");
      exit(1);
    }
  }
  for (double settle = now_ns() + 100e6; now_ns() < settle;) {
    pubsub_read(epoll_fd, fds, received, 10);
  }
  for (int i = 0; i < SUBSCRIBERS; i++) {
    received[i] = 0;
  }
  long sent = 0;
  char batch[PUBSUB_WINDOW * LINE_BYTES + 1]; /* + snprintf's last NUL */
  for (int i = 0; i < PUBSUB_WINDOW; i++) {
    snprintf(batch + i * LINE_BYTES, LINE_BYTES + 1, "line %09d\r\n", i);
  }
  long delivered_before = total(received);
  double start = now_ns(), deadline = start + ROUND_SECONDS * 1e9, end = start;
  while ((end = now_ns()) < deadline) {
    long room = PUBSUB_WINDOW - (sent - fewest(received));
    if (room >= PUBSUB_WINDOW / 4) {
      send_all(fds[0], batch, (size_t)room * LINE_BYTES);
      sent += room;
    }
    pubsub_read(epoll_fd, fds, received, 100);
  }
  long delivered = total(received) - delivered_before;
  for (int i = 0; i < SUBSCRIBERS; i++) {
    close(fds[i]);
  }
  close(epoll_fd);
  return (end - start) / (double)delivered;
}

/* ---- the run ---- */

typedef double (*measure)(int port);

typedef struct benchmark {
  const char *name;
  const char *server; /* echo, web, pubsub */
  measure run;
  int max_rounds;
} benchmark;

static const benchmark kBenchmarks[] = {
    {"echo_rtt", "echo", echo_round_trip, MAX_ROUNDS},
    {"echo_50", "echo", echo_many, MAX_ROUNDS},
    {"web_wrk", "web", web_wrk, WEB_ROUNDS},
    {"pubsub_100", "pubsub", pubsub_fanout, MAX_ROUNDS},
};

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 7;
  if (rounds < 1 || rounds > MAX_ROUNDS) {
    fprintf(stderr, "usage: servers_bench [ROUNDS 1..%d]\n", MAX_ROUNDS);
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  atexit(stop_running_servers);
  char pyref[PATH_MAX], floor_server[PATH_MAX], twisted_dir[PATH_MAX];
  runfiles_path(argv[0], "ref/pyref", pyref);
  runfiles_path(argv[0], "tools/benchmarks/servers_floor", floor_server);
  /* The Twisted programs are not .txt goldens, so not in //golden:servers:
   * they are taken from the source tree, the working directory. */
  snprintf(twisted_dir, sizeof twisted_dir, "golden/servers");
  if (access("golden/servers/twisted_echo.py", R_OK) != 0) {
    fprintf(stderr, "servers_bench: run from the repository's root (tools/bench does)\n");
    return 1;
  }
  const char *current = NULL;
  server servers[IMPLS] = {0};
  for (size_t b = 0; b < sizeof kBenchmarks / sizeof kBenchmarks[0]; b++) {
    const benchmark *bench = &kBenchmarks[b];
    if (current == NULL || strcmp(current, bench->server) != 0) {
      for (int i = 0; current != NULL && i < IMPLS; i++) {
        stop_server(servers[i]);
      }
      current = bench->server;
      char name[32], twisted[PATH_MAX + 64];
      snprintf(name, sizeof name, "%s", bench->server);
      snprintf(twisted, sizeof twisted, "%s/twisted_%s.py", twisted_dir, bench->server);
      char *pyref_argv[] = {pyref, "serve", name, "--port", "0", NULL};
      char *twisted_argv[] = {"/usr/bin/python3", twisted, "--port", "0", NULL};
      char *floor_argv[] = {floor_server, name, "--port", "0", NULL};
      servers[0] = start_server(pyref_argv);
      servers[1] = start_server(twisted_argv);
      servers[2] = start_server(floor_argv);
    }
    int n = rounds < bench->max_rounds ? rounds : bench->max_rounds;
    double times[IMPLS][MAX_ROUNDS];
    /* Round by round, each server in turn, so a slow moment of the machine
     * falls on all three alike. */
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < IMPLS; i++) {
        times[i][r] = bench->run(servers[i].port);
      }
    }
    for (int i = 0; i < IMPLS; i++) {
      printf("%s %s %.1f\n", bench->name, kImpls[i], median(times[i], n));
      fflush(stdout);
    }
  }
  for (int i = 0; current != NULL && i < IMPLS; i++) {
    stop_server(servers[i]);
  }
  return 0;
}
