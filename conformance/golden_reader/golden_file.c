#define _POSIX_C_SOURCE 200809L /* strdup, strndup */

#include "conformance/golden_reader/golden_file.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parsing state: the file being built and where the error goes. */
typedef struct parser {
  const char *path;
  pn_golden_file *file;
  char *error;
  pn_golden_block *block; /* the block being filled, or NULL between blocks */
  size_t block_cap;       /* capacity of block->attrs */
  size_t case_cap;        /* capacity of file->cases */
  bool header_done;
} parser;

static int fail(parser *p, int line, const char *format, ...) __attribute__((format(printf, 3, 4)));

static int fail(parser *p, int line, const char *format, ...) {
  int n = snprintf(p->error, PN_GOLDEN_ERROR_MAX, "%s:%d: ", p->path, line);
  if (n < 0 || n >= PN_GOLDEN_ERROR_MAX) {
    return -1;
  }
  va_list args;
  va_start(args, format);
  vsnprintf(p->error + n, PN_GOLDEN_ERROR_MAX - (size_t)n, format, args);
  va_end(args);
  return -1;
}

static int out_of_memory(parser *p, int line) {
  return fail(p, line, "out of memory");
}

static bool is_key_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

/* Strict UTF-8: no overlong forms, surrogates or code points past U+10FFFF. */
static bool is_utf8(const char *text, size_t len) {
  const unsigned char *s = (const unsigned char *)text;
  size_t i = 0;
  while (i < len) {
    unsigned char c = s[i];
    size_t extra;
    unsigned int code;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      extra = 1;
      code = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      extra = 2;
      code = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      extra = 3;
      code = c & 0x07;
    } else {
      return false;
    }
    if (len - i <= extra) {
      return false;
    }
    for (size_t k = 1; k <= extra; k++) {
      if ((s[i + k] & 0xc0) != 0x80) {
        return false;
      }
      code = code << 6 | (s[i + k] & 0x3f);
    }
    if ((extra == 2 && (code < 0x800 || (code >= 0xd800 && code <= 0xdfff))) ||
        (extra == 3 && (code < 0x10000 || code > 0x10ffff))) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

/* Decodes a double-quoted value (text[0] == '"') into out, which holds len
 * bytes. Returns the decoded length, or -1 after reporting the error. */
static long decode_quoted(parser *p, int line, const char *text, size_t len, char *out) {
  size_t n = 0;
  size_t i = 1;
  for (; i < len && text[i] != '"'; i++) {
    if (text[i] != '\\') {
      out[n++] = text[i];
      continue;
    }
    if (++i == len) {
      break;
    }
    switch (text[i]) {
      case '\\':
      case '"':
        out[n++] = text[i];
        break;
      case 'n':
        out[n++] = '\n';
        break;
      case 'r':
        out[n++] = '\r';
        break;
      case 't':
        out[n++] = '\t';
        break;
      case 'x': {
        int high = i + 1 < len ? hex_digit(text[i + 1]) : -1;
        int low = i + 2 < len ? hex_digit(text[i + 2]) : -1;
        if (high < 0 || low < 0) {
          size_t shown = len - i < 3 ? len - i : 3;
          return fail(p, line, "bad escape '\\%.*s' in quoted value", (int)shown, text + i);
        }
        out[n++] = (char)(high << 4 | low);
        i += 2;
        break;
      }
      default:
        return fail(p, line, "bad escape '\\%c' in quoted value", text[i]);
    }
  }
  if (i >= len) {
    return fail(p, line, "unterminated quoted value");
  }
  if (i + 1 != len) {
    return fail(p, line, "text after the closing quote");
  }
  return (long)n;
}

static pn_golden_attr *find(pn_golden_block *block, const char *key) {
  for (size_t i = 0; i < block->count; i++) {
    if (strcmp(block->attrs[i].key, key) == 0) {
      return &block->attrs[i];
    }
  }
  return NULL;
}

/* Starts a new block at line: the header first, cases after it. */
static int begin_block(parser *p, int line) {
  pn_golden_file *file = p->file;
  if (!p->header_done) {
    p->block = &file->header;
  } else {
    if (file->case_count == p->case_cap) {
      size_t cap = p->case_cap ? 2 * p->case_cap : 16;
      pn_golden_block *cases = realloc(file->cases, cap * sizeof *cases);
      if (cases == NULL) {
        return out_of_memory(p, line);
      }
      file->cases = cases;
      p->case_cap = cap;
    }
    p->block = &file->cases[file->case_count++];
    memset(p->block, 0, sizeof *p->block);
  }
  p->block->line = line;
  p->block_cap = 0;
  return 0;
}

static void end_block(parser *p) {
  if (p->block != NULL) {
    p->header_done = true;
    p->block = NULL;
  }
}

/* Parses one `Key = value` line into the current block: the key is what
 * stands before the first " = " (or a " =" that ends the line, for an empty
 * value). */
static int parse_attribute(parser *p, int line, const char *text, size_t len) {
  size_t key_len = 0;
  while (key_len + 2 < len && memcmp(text + key_len, " = ", 3) != 0) {
    key_len++;
  }
  size_t value_start = key_len + 3;
  if (key_len + 2 >= len) {
    if (len >= 2 && memcmp(text + len - 2, " =", 2) == 0) {
      key_len = len - 2;
      value_start = len;
    } else {
      return fail(p, line, "expected 'Key = value'");
    }
  }
  bool good_key =
      key_len > 0 && ((text[0] >= 'A' && text[0] <= 'Z') || (text[0] >= 'a' && text[0] <= 'z'));
  for (size_t k = 0; k < key_len; k++) {
    good_key = good_key && is_key_char(text[k]);
  }
  if (!good_key) {
    return fail(p, line, "bad key '%.*s'", (int)key_len, text);
  }
  const char *value_text = text + value_start;
  size_t value_text_len = len - value_start;

  if (p->block == NULL && begin_block(p, line) != 0) {
    return -1;
  }
  pn_golden_block *block = p->block;
  char *key = strndup(text, key_len);
  if (key == NULL) {
    return out_of_memory(p, line);
  }
  if (find(block, key) != NULL) {
    fail(p, line, "duplicate key '%s' in one block", key);
    free(key);
    return -1;
  }
  char *value = malloc(value_text_len + 1);
  if (value == NULL) {
    free(key);
    return out_of_memory(p, line);
  }
  long value_len;
  if (value_text_len > 0 && value_text[0] == '"') {
    value_len = decode_quoted(p, line, value_text, value_text_len, value);
  } else {
    memcpy(value, value_text, value_text_len);
    value_len = (long)value_text_len;
  }
  if (value_len < 0) {
    free(key);
    free(value);
    return -1;
  }
  value[value_len] = '\0';
  if (block->count == p->block_cap) {
    size_t cap = p->block_cap ? 2 * p->block_cap : 8;
    pn_golden_attr *attrs = realloc(block->attrs, cap * sizeof *attrs);
    if (attrs == NULL) {
      free(key);
      free(value);
      return out_of_memory(p, line);
    }
    block->attrs = attrs;
    p->block_cap = cap;
  }
  block->attrs[block->count++] = (pn_golden_attr){key, value, (size_t)value_len, line, false};
  return 0;
}

/* Reads one version `3.N` (3.6 to 3.14, no leading zero) at *text, moving
 * *text past it; false if there is none. */
static bool read_python_version(const char **text, int *minor) {
  const char *p = *text;
  if (p[0] != '3' || p[1] != '.' || !isdigit((unsigned char)p[2])) {
    return false;
  }
  int n = p[2] - '0';
  p += 3;
  if (isdigit((unsigned char)*p)) {
    if (n == 0) {
      return false;
    }
    n = n * 10 + (*p++ - '0');
  }
  if (isdigit((unsigned char)*p) || n < PN_GOLDEN_OLDEST_MINOR || n > PN_GOLDEN_NEWEST_MINOR) {
    return false;
  }
  *text = p;
  *minor = n;
  return true;
}

bool pn_golden_parse_python_range(const char *text, pn_python_range *range) {
  pn_python_range read = {PN_GOLDEN_OLDEST_MINOR, PN_GOLDEN_OPEN_MINOR};
  bool open_below = *text == '-';
  if (open_below) {
    text++;
  } else if (!read_python_version(&text, &read.lowest)) {
    return false;
  }
  if (open_below || *text == '-') {
    if (!open_below) {
      text++;
    }
    if (*text != '\0' && !read_python_version(&text, &read.highest)) {
      return false;
    }
    if (open_below && read.highest == PN_GOLDEN_OPEN_MINOR) {
      return false; /* "-" alone */
    }
  } else {
    read.highest = read.lowest;
  }
  if (*text != '\0' || read.lowest > read.highest) {
    return false;
  }
  *range = read;
  return true;
}

bool pn_python_range_contains(pn_python_range range, int minor) {
  return range.lowest <= minor && minor <= range.highest;
}

static bool is_name(const char *text) {
  if (text[0] == '\0') {
    return false;
  }
  for (const char *c = text; *c != '\0'; c++) {
    if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
          *c == '_')) {
      return false;
    }
  }
  return true;
}

/* Reads a float as Python writes one (repr or float.hex form); false when
 * text is not wholly such a float. */
static bool read_float(const char *text, double *value) {
  if (text[0] == '\0' || text[0] == ' ') {
    return false;
  }
  char *end;
  errno = 0;
  *value = strtod(text, &end);
  return *end == '\0';
}

static bool same_float(double a, double b) {
  if (isnan(a) || isnan(b)) {
    return isnan(a) && isnan(b);
  }
  return memcmp(&a, &b, sizeof a) == 0;
}

/* The checks that need a whole block: attributes that must be present,
 * well-formed values, and values that must agree with each other. */
static int check_block(parser *p, pn_golden_block *block, bool is_header) {
  static const char *const kHeaderKeys[] = {"Command", "Recorded-By", "Oracle", "Python"};
  if (is_header) {
    for (size_t i = 0; i < sizeof kHeaderKeys / sizeof kHeaderKeys[0]; i++) {
      if (find(block, kHeaderKeys[i]) == NULL) {
        return fail(p, block->line, "missing header key '%s'", kHeaderKeys[i]);
      }
    }
  }
  pn_golden_attr *python = find(block, "Python");
  pn_python_range range;
  if (python != NULL && !pn_golden_parse_python_range(python->value, &range)) {
    return fail(p, python->line,
                "bad Python version '%s' (3.6 to 3.14, written X.Y, X.Y-X.Y, X.Y- or -X.Y)",
                python->value);
  }
  pn_golden_attr *pointer_size = find(block, "Pointer-Size");
  if (pointer_size != NULL && strcmp(pointer_size->value, "4") != 0 &&
      strcmp(pointer_size->value, "8") != 0) {
    return fail(p, pointer_size->line, "bad Pointer-Size '%s' (4 or 8 bytes)", pointer_size->value);
  }
  pn_golden_attr *session = find(block, "Session");
  if (session != NULL && (!is_header || strcmp(session->value, "file") != 0)) {
    return fail(p, session->line, "bad Session '%s' (a header key; its one value is 'file')",
                session->value);
  }
  if (is_header) {
    return 0;
  }
  pn_golden_attr *timeout = find(block, "Timeout");
  if (timeout != NULL) {
    double seconds;
    if (!read_float(timeout->value, &seconds) || !(seconds > 0 && seconds <= 3600) ||
        !isdigit((unsigned char)timeout->value[0])) {
      return fail(p, timeout->line, "bad Timeout '%s' (seconds, above 0 and at most 3600)",
                  timeout->value);
    }
  }
  pn_golden_attr *repeat = find(block, "Input-Repeat");
  if (repeat != NULL) {
    char *end;
    errno = 0;
    unsigned long long count = strtoull(repeat->value, &end, 10);
    pn_golden_attr *input = find(block, "Input");
    if (repeat->value[0] < '1' || repeat->value[0] > '9' || *end != '\0' || errno != 0) {
      return fail(p, repeat->line, "bad Input-Repeat '%s' (a positive integer)", repeat->value);
    }
    if (input == NULL) {
      return fail(p, repeat->line, "Input-Repeat without Input");
    }
    if (input->value_len > 0 && count > PN_GOLDEN_MAX_INPUT / input->value_len) {
      return fail(p, repeat->line, "Input-Repeat makes the input longer than %zu bytes",
                  PN_GOLDEN_MAX_INPUT);
    }
  }
  pn_golden_attr *name = find(block, "Name");
  if (name != NULL) {
    if (!is_name(name->value)) {
      return fail(p, name->line, "bad Name '%s' (letters, digits and '_')", name->value);
    }
    for (pn_golden_block *other = p->file->cases; other < block; other++) {
      pn_golden_attr *other_name = find(other, "Name");
      if (other_name != NULL && strcmp(other_name->value, name->value) == 0) {
        return fail(p, name->line, "duplicate Name '%s' (also on line %d)", name->value,
                    other_name->line);
      }
    }
  }
  pn_golden_attr *output_hex = find(block, "Output-Hex");
  if (output_hex != NULL) {
    pn_golden_attr *output = find(block, "Output");
    double from_text, from_hex;
    if (output == NULL || !read_float(output->value, &from_text) ||
        !read_float(output_hex->value, &from_hex) || !same_float(from_text, from_hex)) {
      return fail(p, output_hex->line, "Output and Output-Hex disagree");
    }
  }
  return 0;
}

int pn_golden_parse(const char *path, const char *text, size_t len, pn_golden_file *file,
                    char *error) {
  memset(file, 0, sizeof *file);
  parser p = {.path = path, .file = file, .error = error};
  error[0] = '\0';
  file->path = strdup(path);
  if (file->path == NULL) {
    return out_of_memory(&p, 0);
  }
  int line = 0;
  size_t start = 0;
  int rc = 0;
  while (rc == 0 && start < len) {
    line++;
    const char *eol = memchr(text + start, '\n', len - start);
    size_t line_len = eol ? (size_t)(eol - (text + start)) : len - start;
    const char *s = text + start;
    start += line_len + 1;
    size_t blank = 0;
    while (blank < line_len && (s[blank] == ' ' || s[blank] == '\t')) {
      blank++;
    }
    if (blank == line_len) {
      if (p.block != NULL) {
        rc = check_block(&p, p.block, !p.header_done);
        end_block(&p);
      }
    } else if (!is_utf8(s, line_len)) {
      rc = fail(&p, line, "not valid UTF-8 (write such bytes as \\xHH in a quoted value)");
    } else if (s[0] != '#') {
      rc = parse_attribute(&p, line, s, line_len);
    }
  }
  if (rc == 0 && p.block != NULL) {
    rc = check_block(&p, p.block, !p.header_done);
    end_block(&p);
  }
  if (rc == 0 && !p.header_done) {
    rc = fail(&p, 1, "no header: the file has no blocks");
  }
  if (rc == 0 && file->case_count == 0) {
    rc = fail(&p, file->header.line, "no cases: the file has only a header");
  }
  if (rc != 0) {
    pn_golden_free(file);
  }
  return rc;
}

int pn_golden_load(const char *path, pn_golden_file *file, char *error) {
  memset(file, 0, sizeof *file);
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    snprintf(error, PN_GOLDEN_ERROR_MAX, "%s:0: cannot open: %s", path, strerror(errno));
    return -1;
  }
  char *text = NULL;
  size_t len = 0;
  size_t cap = 0;
  int rc = 0;
  for (;;) {
    if (len == cap) {
      cap = cap ? 2 * cap : 65536;
      char *grown = realloc(text, cap);
      if (grown == NULL) {
        snprintf(error, PN_GOLDEN_ERROR_MAX, "%s:0: out of memory", path);
        rc = -1;
        break;
      }
      text = grown;
    }
    size_t n = fread(text + len, 1, cap - len, f);
    len += n;
    if (n == 0) {
      if (ferror(f)) {
        snprintf(error, PN_GOLDEN_ERROR_MAX, "%s:0: read error", path);
        rc = -1;
      }
      break;
    }
  }
  fclose(f);
  if (rc == 0) {
    rc = pn_golden_parse(path, text, len, file, error);
  }
  free(text);
  return rc;
}

static void free_block(pn_golden_block *block) {
  for (size_t i = 0; i < block->count; i++) {
    free(block->attrs[i].key);
    free(block->attrs[i].value);
  }
  free(block->attrs);
  memset(block, 0, sizeof *block);
}

void pn_golden_free(pn_golden_file *file) {
  free_block(&file->header);
  for (size_t i = 0; i < file->case_count; i++) {
    free_block(&file->cases[i]);
  }
  free(file->cases);
  free(file->path);
  memset(file, 0, sizeof *file);
}

pn_golden_attr *pn_golden_get(pn_golden_block *block, const char *key) {
  pn_golden_attr *attr = find(block, key);
  if (attr != NULL) {
    attr->used = true;
  }
  return attr;
}

const char *pn_golden_value(pn_golden_block *block, const char *key) {
  pn_golden_attr *attr = pn_golden_get(block, key);
  return attr ? attr->value : NULL;
}

const pn_golden_attr *pn_golden_first_unused(const pn_golden_block *block) {
  for (size_t i = 0; i < block->count; i++) {
    if (!block->attrs[i].used) {
      return &block->attrs[i];
    }
  }
  return NULL;
}

char *pn_golden_expand_input(pn_golden_block *block, size_t *len) {
  pn_golden_attr *input = pn_golden_get(block, "Input");
  pn_golden_attr *repeat = pn_golden_get(block, "Input-Repeat");
  if (input == NULL) {
    return NULL;
  }
  /* The parser has bounded count * value_len by PN_GOLDEN_MAX_INPUT. */
  size_t count = repeat ? (size_t)strtoull(repeat->value, NULL, 10) : 1;
  size_t total = input->value_len * count;
  char *text = malloc(total + 1);
  if (text == NULL) {
    return NULL;
  }
  for (size_t i = 0; i < count && input->value_len > 0; i++) {
    memcpy(text + i * input->value_len, input->value, input->value_len);
  }
  text[total] = '\0';
  *len = total;
  return text;
}
