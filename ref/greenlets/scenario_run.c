#include "ref/greenlets/scenario_run.h"

#include <stdlib.h>
#include <string.h>

#include "ref/greenlets/hub.h"

typedef struct run_state run_state;

/* What a spawned greenlet runs: one task of the scenario. */
typedef struct task_ref {
  run_state *state;
  size_t task;
} task_ref;

struct run_state {
  const pn_scenario *scenario;
  pn_hub *hub;
  pn_greenlet **vars; /* bound greenlets, NULL while unbound */
  task_ref *tasks;
  size_t spawned;
  pn_strbuf *out;
  size_t lines;
  int failed; /* out of memory while writing */
};

static void begin_line(run_state *s) {
  if (s->lines++ > 0 && pn_strbuf_puts(s->out, " | ") != 0) {
    s->failed = 1;
  }
}

static void put(run_state *s, const char *text, size_t len) {
  if (pn_strbuf_append(s->out, text, len) != 0) {
    s->failed = 1;
  }
}

static void puts_text(run_state *s, const char *text) {
  put(s, text, strlen(text));
}

/* `Type: message`, or `Type` for an empty message: a traceback's last line. */
static void put_exception_line(run_state *s, const pn_exc *exc) {
  puts_text(s, exc->type);
  if (exc->message[0] != '\0') {
    puts_text(s, ": ");
    puts_text(s, exc->message);
  }
}

/* The hub's report of a failing greenlet, as gevent's print_exception
 * writes it, reduced to its unindented lines: the exception line, then
 * `<time> <Greenlet at 0x?: NAME> failed with TYPE`. */
static void report(void *context, const pn_greenlet *greenlet, const pn_exc *error) {
  run_state *s = context;
  begin_line(s);
  puts_text(s, "! ");
  put_exception_line(s, error);
  begin_line(s);
  puts_text(s, "! <time> <Greenlet at 0x?: ");
  puts_text(s, pn_greenlet_name(greenlet));
  puts_text(s, "> failed with ");
  puts_text(s, error->type);
}

static void put_quoted(run_state *s, const char *text, size_t len) {
  put(s, "\"", 1);
  for (size_t i = 0; i < len; i++) {
    if (text[i] == '\\' || text[i] == '"') {
      put(s, "\\", 1);
    }
    put(s, &text[i], 1);
  }
  put(s, "\"", 1);
}

static void put_exception_value(run_state *s, const pn_exc *exc) {
  puts_text(s, exc->type);
  put(s, "(", 1);
  if (exc->message[0] != '\0') {
    put_quoted(s, exc->message, strlen(exc->message));
  }
  put(s, ")", 1);
}

static const char *python_bool(bool value) {
  return value ? "True" : "False";
}

static void show(run_state *s, const char *var, const pn_greenlet *g) {
  begin_line(s);
  puts_text(s, var);
  puts_text(s, ": dead=");
  puts_text(s, python_bool(pn_greenlet_dead(g)));
  puts_text(s, " ready=");
  puts_text(s, python_bool(pn_greenlet_ready(g)));
  puts_text(s, " successful=");
  puts_text(s, python_bool(pn_greenlet_successful(g)));
  puts_text(s, " value=");
  pn_value value = pn_greenlet_value(g);
  if (value.exc != NULL) {
    put_exception_value(s, value.exc);
  } else if (value.ptr != NULL) {
    const pn_step *returned = value.ptr;
    put_quoted(s, returned->text, returned->text_len);
  } else {
    puts_text(s, "None");
  }
  puts_text(s, " exception=");
  const pn_exc *exc = pn_greenlet_exception(g);
  if (exc != NULL) {
    put_exception_value(s, exc);
  } else {
    puts_text(s, "None");
  }
}

static const pn_exc *lookup(run_state *s, long var, pn_greenlet **out) {
  *out = s->vars[var];
  if (*out != NULL) {
    return NULL;
  }
  pn_strbuf message = PN_STRBUF_INIT;
  const pn_exc *exc = NULL;
  if (pn_strbuf_printf(&message, "name '%s' is not defined", s->scenario->vars[var]) == 0) {
    exc = pn_hub_exception(s->hub, "NameError", message.data);
  }
  pn_strbuf_free(&message);
  return exc != NULL ? exc : pn_hub_exception(s->hub, "MemoryError", NULL);
}

static const pn_exc *run_greenlet(pn_hub *hub, void *arg, pn_value *result);

static const pn_exc *out_of_memory(run_state *s) {
  s->failed = 1;
  return pn_hub_exception(s->hub, "MemoryError", NULL);
}

/* Runs a task's steps in the running greenlet (or main). */
static const pn_exc *execute(run_state *s, const pn_task *task, pn_value *result) {
  for (size_t i = 0; i < task->step_count; i++) {
    const pn_step *step = &task->steps[i];
    const pn_exc *exc = NULL;
    pn_greenlet *g = NULL;
    switch (step->kind) {
      case PN_STEP_PRINT:
        begin_line(s);
        put(s, step->text, step->text_len);
        break;
      case PN_STEP_SLEEP:
        exc = pn_sleep(s->hub, step->seconds);
        break;
      case PN_STEP_RAISE:
        exc = pn_hub_exception(s->hub, step->exception, step->text);
        if (exc == NULL) {
          exc = out_of_memory(s);
        }
        break;
      case PN_STEP_RETURN:
        result->ptr = step;
        return NULL;
      case PN_STEP_SPAWN:
        if (s->spawned >= PN_SCENARIO_MAX_GREENLETS) {
          exc = pn_hub_exception(s->hub, "RuntimeError", "too many greenlets");
          break;
        }
        s->spawned++;
        g = pn_spawn(s->hub, run_greenlet, &s->tasks[step->task],
                     s->scenario->tasks[step->task].name);
        if (g == NULL) {
          exc = out_of_memory(s);
        } else if (step->var >= 0) {
          s->vars[step->var] = g;
        }
        break;
      case PN_STEP_JOIN:
        exc = lookup(s, step->var, &g);
        if (exc == NULL) {
          exc = pn_join(s->hub, g, step->has_timeout ? step->seconds : -1);
        }
        break;
      case PN_STEP_JOINALL: {
        pn_greenlet **list = calloc(step->var_count + 1, sizeof *list);
        if (list == NULL) {
          exc = out_of_memory(s);
          break;
        }
        for (size_t v = 0; v < step->var_count && exc == NULL; v++) {
          exc = lookup(s, (long)step->vars[v], &list[v]);
        }
        if (exc == NULL) {
          exc = pn_joinall(s->hub, list, step->var_count, step->has_timeout ? step->seconds : -1,
                           NULL);
        }
        free(list);
        break;
      }
      case PN_STEP_KILL:
        exc = lookup(s, step->var, &g);
        if (exc == NULL) {
          exc = pn_kill(s->hub, g, step->block);
        }
        break;
      case PN_STEP_SHOW:
        exc = lookup(s, step->var, &g);
        if (exc == NULL) {
          show(s, s->scenario->vars[step->var], g);
        }
        break;
    }
    if (exc != NULL) {
      return exc;
    }
  }
  return NULL;
}

static const pn_exc *run_greenlet(pn_hub *hub, void *arg, pn_value *result) {
  (void)hub;
  task_ref *ref = arg;
  return execute(ref->state, &ref->state->scenario->tasks[ref->task], result);
}

int pn_scenario_run(const pn_scenario *scenario, pn_strbuf *out) {
  run_state s;
  memset(&s, 0, sizeof s);
  s.scenario = scenario;
  s.out = out;
  s.vars = calloc(scenario->var_count + 1, sizeof *s.vars);
  s.tasks = calloc(scenario->task_count, sizeof *s.tasks);
  pn_hub_options options = {.virtual_time = true, .report = report, .report_context = &s};
  s.hub = s.vars && s.tasks ? pn_hub_new(&options) : NULL;
  if (s.hub == NULL) {
    free(s.vars);
    free(s.tasks);
    return -1;
  }
  for (size_t t = 0; t < scenario->task_count; t++) {
    s.tasks[t] = (task_ref){&s, t};
  }
  pn_value ignored = {NULL, NULL};
  const pn_exc *exc = execute(&s, &scenario->tasks[scenario->main_task], &ignored);
  if (exc != NULL) {
    /* An uncaught exception ends the program: its traceback's last line
     * (only the first line of a message, which LoopExit spreads over
     * several in gevent). */
    begin_line(&s);
    puts_text(&s, "! ");
    put_exception_line(&s, exc);
  }
  pn_hub_free(s.hub);
  free(s.vars);
  free(s.tasks);
  return s.failed ? -1 : 0;
}
