#include "conformance/servers/transcript.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An RFC 1123 date as HTTP's Date header writes it: 'A' an upper-case
 * letter, 'a' a lower-case one, '0' a digit, anything else itself. */
static const char kDateShape[] = "Aaa, 00 Aaa 0000 00:00:00 GMT";
#define DATE_LEN (sizeof kDateShape - 1)

static const struct {
  const char *key;
  pn_step_kind kind;
} kActions[] = {
    {"Connect", PN_STEP_CONNECT},
    {"Send", PN_STEP_SEND},
    {"Close", PN_STEP_CLOSE},
    {"Expect", PN_STEP_EXPECT},
    {"Expect-Close", PN_STEP_EXPECT_CLOSE},
    {"Expect-Silence", PN_STEP_EXPECT_SILENCE},
};

static bool is_client_name(const char *name) {
  if (name[0] == '\0') {
    return false;
  }
  for (const char *p = name; *p != '\0'; p++) {
    if (!isalnum((unsigned char)*p) && *p != '_') {
      return false;
    }
  }
  return true;
}

static int fail_at(pn_strbuf *problem, const char *path, int line, const char *what) {
  pn_strbuf_printf(problem, "%s:%d: %s", path, line, what);
  return -1;
}

/* Parses a positive decimal count no larger than max; -1 if it is not one. */
static long parse_count(const char *text, long max) {
  char *end = NULL;
  errno = 0;
  long value = strtol(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || value < 0 || value > max ||
      !isdigit((unsigned char)text[0])) {
    return -1;
  }
  return value;
}

static int read_data(pn_golden_block *block, const char *path, pn_step *step, pn_strbuf *problem) {
  pn_golden_attr *data = pn_golden_get(block, "Data");
  if (data == NULL) {
    return fail_at(problem, path, block->line, "Send and Expect need Data");
  }
  long repeat = 1;
  const char *repeat_text = pn_golden_value(block, "Data-Repeat");
  if (repeat_text != NULL) {
    repeat = parse_count(repeat_text, (long)(PN_GOLDEN_MAX_INPUT / (data->value_len + 1)));
    if (repeat < 1) {
      return fail_at(problem, path, block->line,
                     "bad Data-Repeat (a positive count, 64 MiB in all)");
    }
  }
  step->data_len = data->value_len * (size_t)repeat;
  step->data = malloc(step->data_len + 1);
  if (step->data == NULL) {
    return fail_at(problem, path, block->line, "out of memory");
  }
  for (long i = 0; i < repeat; i++) {
    memcpy(step->data + (size_t)i * data->value_len, data->value, data->value_len);
  }
  step->data[step->data_len] = '\0';
  return 0;
}

static int read_step(pn_golden_block *block, const char *path, pn_step *step, pn_strbuf *problem) {
  int found = 0;
  for (size_t i = 0; i < sizeof kActions / sizeof kActions[0]; i++) {
    const char *client = pn_golden_value(block, kActions[i].key);
    if (client != NULL) {
      found++;
      step->kind = kActions[i].kind;
      step->client = client;
    }
  }
  step->line = block->line;
  if (found != 1) {
    return fail_at(problem, path, block->line,
                   "a step needs exactly one of Connect, Send, Close, Expect, Expect-Close, "
                   "Expect-Silence");
  }
  if (!is_client_name(step->client)) {
    return fail_at(problem, path, block->line, "bad client name (letters, digits and '_')");
  }
  switch (step->kind) {
    case PN_STEP_SEND:
    case PN_STEP_EXPECT:
      return read_data(block, path, step, problem);
    case PN_STEP_CLOSE: {
      const char *how = pn_golden_value(block, "How");
      if (how != NULL && strcmp(how, "reset") != 0 && strcmp(how, "close") != 0) {
        return fail_at(problem, path, block->line, "How is close or reset");
      }
      step->reset = how != NULL && strcmp(how, "reset") == 0;
      return 0;
    }
    case PN_STEP_EXPECT_SILENCE: {
      const char *ms = pn_golden_value(block, "For-Ms");
      step->silence_ms = ms == NULL ? -1 : parse_count(ms, 600000);
      if (step->silence_ms < 0) {
        return fail_at(problem, path, block->line, "Expect-Silence needs For-Ms (milliseconds)");
      }
      return 0;
    }
    case PN_STEP_CONNECT:
    case PN_STEP_EXPECT_CLOSE:
      return 0;
  }
  return 0;
}

int pn_transcript_read(pn_golden_file *file, pn_transcript *transcript, pn_strbuf *problem) {
  memset(transcript, 0, sizeof *transcript);
  const char *command = pn_golden_value(&file->header, "Command");
  transcript->server = pn_golden_value(&file->header, "Server");
  if (command == NULL || strcmp(command, "serve") != 0 || transcript->server == NULL) {
    return fail_at(problem, file->path, file->header.line,
                   "a transcript's header has Command = serve and a Server");
  }
  /* The rest of the header says how it was recorded; the replay needs none of it. */
  pn_golden_value(&file->header, "Recorded-By");
  pn_golden_value(&file->header, "Oracle");
  pn_golden_value(&file->header, "Python");
  transcript->steps = calloc(file->case_count, sizeof *transcript->steps);
  if (transcript->steps == NULL && file->case_count > 0) {
    return fail_at(problem, file->path, 0, "out of memory");
  }
  for (size_t i = 0; i < file->case_count; i++) {
    transcript->count++;
    if (read_step(&file->cases[i], file->path, &transcript->steps[i], problem) != 0) {
      return -1;
    }
    const pn_golden_attr *unused = pn_golden_first_unused(&file->cases[i]);
    if (unused != NULL) {
      pn_strbuf_printf(problem, "%s:%d: unused key '%s'", file->path, unused->line, unused->key);
      return -1;
    }
  }
  return 0;
}

void pn_transcript_free(pn_transcript *transcript) {
  for (size_t i = 0; i < transcript->count; i++) {
    free(transcript->steps[i].data);
  }
  free(transcript->steps);
  memset(transcript, 0, sizeof *transcript);
}

/* The placeholder at data[0..len) (which starts with '$'): its length, and
 * which it is. Returns 0 for an unknown one. */
static size_t placeholder(const char *data, size_t len, char *which) {
  static const struct {
    const char *text;
    char which;
  } kKnown[] = {{"$$", '$'}, {"${PORT}", 'P'}, {"${DATE}", 'D'}};
  for (size_t i = 0; i < sizeof kKnown / sizeof kKnown[0]; i++) {
    size_t n = strlen(kKnown[i].text);
    if (len >= n && memcmp(data, kKnown[i].text, n) == 0) {
      *which = kKnown[i].which;
      return n;
    }
  }
  return 0;
}

/* Expands data into *bytes (and *is_date when not NULL); ${DATE} only when
 * dates are allowed. */
static int expand(const char *data, size_t len, int port, pn_strbuf *bytes, pn_strbuf *is_date,
                  pn_strbuf *problem) {
  char port_text[16];
  snprintf(port_text, sizeof port_text, "%d", port);
  for (size_t i = 0; i < len;) {
    const char *dollar = memchr(data + i, '$', len - i);
    size_t plain = dollar == NULL ? len - i : (size_t)(dollar - (data + i));
    if (pn_strbuf_append(bytes, data + i, plain) != 0) {
      return -1;
    }
    for (size_t k = 0; is_date != NULL && k < plain; k++) {
      if (pn_strbuf_append(is_date, "\0", 1) != 0) {
        return -1;
      }
    }
    i += plain;
    if (dollar == NULL) {
      break;
    }
    char which = 0;
    size_t n = placeholder(data + i, len - i, &which);
    const char *text = which == '$' ? "$" : which == 'P' ? port_text : kDateShape;
    if (n == 0 || (which == 'D' && is_date == NULL)) {
      pn_strbuf_printf(problem, "unknown placeholder at offset %zu (write $ as $$)", i);
      return -1;
    }
    if (pn_strbuf_puts(bytes, text) != 0) {
      return -1;
    }
    for (size_t k = 0; is_date != NULL && k < strlen(text); k++) {
      if (pn_strbuf_append(is_date, which == 'D' ? "\1" : "\0", 1) != 0) {
        return -1;
      }
    }
    i += n;
  }
  return 0;
}

int pn_transcript_expand_send(const char *data, size_t len, int port, pn_strbuf *out,
                              pn_strbuf *problem) {
  return expand(data, len, port, out, NULL, problem);
}

int pn_expectation_compile(const char *data, size_t len, int port, pn_expectation *expectation,
                           pn_strbuf *problem) {
  pn_strbuf empty = PN_STRBUF_INIT;
  expectation->bytes = empty;
  expectation->is_date = empty;
  return expand(data, len, port, &expectation->bytes, &expectation->is_date, problem);
}

void pn_expectation_free(pn_expectation *expectation) {
  pn_strbuf_free(&expectation->bytes);
  pn_strbuf_free(&expectation->is_date);
}

static bool date_byte_matches(size_t date_offset, char byte) {
  char shape = kDateShape[date_offset % DATE_LEN];
  unsigned char c = (unsigned char)byte;
  switch (shape) {
    case 'A':
      return isupper(c);
    case 'a':
      return islower(c);
    case '0':
      return isdigit(c);
    default:
      return byte == shape;
  }
}

size_t pn_expectation_mismatch(const pn_expectation *expectation, const char *received,
                               size_t len) {
  size_t n = len < expectation->bytes.len ? len : expectation->bytes.len;
  size_t date_offset = 0;
  for (size_t i = 0; i < n; i++) {
    if (expectation->is_date.data[i]) {
      if (!date_byte_matches(date_offset++, received[i])) {
        return i;
      }
    } else {
      date_offset = 0;
      if (received[i] != expectation->bytes.data[i]) {
        return i;
      }
    }
  }
  return n;
}

void pn_transcript_show(pn_strbuf *out, const char *bytes, size_t from, size_t to) {
  for (size_t i = from; i < to; i++) {
    unsigned char c = (unsigned char)bytes[i];
    switch (c) {
      case '\r':
        pn_strbuf_puts(out, "\\r");
        break;
      case '\n':
        pn_strbuf_puts(out, "\\n");
        break;
      case '\t':
        pn_strbuf_puts(out, "\\t");
        break;
      case '\\':
        pn_strbuf_puts(out, "\\\\");
        break;
      case '"':
        pn_strbuf_puts(out, "\\\"");
        break;
      default:
        if (c >= 0x20 && c < 0x7f) {
          pn_strbuf_append(out, (const char *)&c, 1);
        } else {
          pn_strbuf_printf(out, "\\x%02x", c);
        }
    }
  }
}
