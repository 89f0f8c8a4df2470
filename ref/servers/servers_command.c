#include "ref/servers/servers_command.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ref/servers/services.h"

static const struct {
  const char *name;
  const pn_service *service;
} kServices[] = {
    {"echo", &pn_echo_service},
    {"web", &pn_web_service},
    {"pubsub", &pn_pubsub_service},
};

static int usage(const char *problem, const char *detail) {
  fprintf(stderr, "pyref serve: %s%s (usage: pyref serve echo|web|pubsub --port N)\n", problem,
          detail);
  return 2;
}

/* serve NAME --port N: argv[0] is "serve". */
static int run_serve(int argc, char **argv) {
  if (argc != 4 || strcmp(argv[2], "--port") != 0) {
    return usage("expected NAME --port N", "");
  }
  char *end = NULL;
  long port = strtol(argv[3], &end, 10);
  if (end == argv[3] || *end != '\0' || port < 0 || port > 65535) {
    return usage("bad port ", argv[3]);
  }
  for (size_t i = 0; i < sizeof kServices / sizeof kServices[0]; i++) {
    if (strcmp(argv[1], kServices[i].name) == 0) {
      return pn_server_run(kServices[i].service, (int)port);
    }
  }
  return usage("unknown server ", argv[1]);
}

const pn_command pn_servers_commands[] = {
    {"serve", PN_PROGRAM, NULL, NULL, NULL, run_serve, PN_PYVERSIONS(3, 11, 3, 11)},
};
const size_t pn_servers_command_count = sizeof pn_servers_commands / sizeof pn_servers_commands[0];
