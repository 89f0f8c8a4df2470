/*
 * The C reader of golden files (format: golden/README.md).
 *
 * A file is a header block and case blocks of `Key = value` attributes. The
 * reader checks the whole format up front, so a test never runs on half a
 * file, and tracks which attributes were read, so a key that no test reads
 * (a typo such as `Ouput`) is reported instead of silently ignored.
 */
#ifndef PYNOTES_CONFORMANCE_GOLDEN_READER_GOLDEN_FILE_H_
#define PYNOTES_CONFORMANCE_GOLDEN_READER_GOLDEN_FILE_H_

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The CPython versions a golden file knows: 3.PN_GOLDEN_OLDEST_MINOR to
 * 3.PN_GOLDEN_NEWEST_MINOR (3.6 to 3.13 recorded from native CPythons, 3.14
 * from Pyodide's 32-bit one). */
#define PN_GOLDEN_OLDEST_MINOR 6
#define PN_GOLDEN_NEWEST_MINOR 14
/* The highest minor of a range open at the top (`3.12-`): every later version. */
#define PN_GOLDEN_OPEN_MINOR 99

/* The CPython versions 3.lowest to 3.highest (minor numbers) that a
 * `Python` value names. */
typedef struct pn_python_range {
  int lowest;
  int highest;
} pn_python_range;

/* An Input expanded by Input-Repeat may not exceed this many bytes. */
#define PN_GOLDEN_MAX_INPUT ((size_t)64 << 20)

typedef struct pn_golden_attr {
  char *key;
  char *value; /* decoded; NUL-terminated; may hold NULs (see value_len) */
  size_t value_len;
  int line;
  bool used;
} pn_golden_attr;

typedef struct pn_golden_block {
  int line; /* line of the block's first attribute */
  size_t count;
  pn_golden_attr *attrs;
} pn_golden_block;

typedef struct pn_golden_file {
  char *path;
  pn_golden_block header;
  size_t case_count;
  pn_golden_block *cases;
} pn_golden_file;

/* Room for "PATH:LINE: message". */
#define PN_GOLDEN_ERROR_MAX 512

/*
 * Parses text[0..len) read from path into *file. Returns 0, or -1 with
 * "PATH:LINE: what is wrong" in error (PN_GOLDEN_ERROR_MAX bytes) for a
 * malformed file or when memory runs out; *file is then empty.
 */
int pn_golden_parse(const char *path, const char *text, size_t len, pn_golden_file *file,
                    char *error);

/* Reads and parses the file at path. Returns 0 or -1 as pn_golden_parse
 * (an unreadable file is "PATH:0: ..."). */
int pn_golden_load(const char *path, pn_golden_file *file, char *error);

/* Frees everything the file holds; the file is empty afterwards. */
void pn_golden_free(pn_golden_file *file);

/* Returns the attribute `key` of block, marking it read, or NULL. */
/* Reads a `Python` value into *range: `3.11` (that version), `3.8-3.11`
 * (both ends included), `3.12-` (3.12 and every later version: highest is
 * PN_GOLDEN_OPEN_MINOR) or `-3.7` (3.7 and every earlier one from 3.6); each
 * version named is 3.6 to 3.14, the lower end first. Returns false (leaving
 * *range alone) for any other text. */
bool pn_golden_parse_python_range(const char *text, pn_python_range *range);

/* Whether range holds the version 3.minor. */
bool pn_python_range_contains(pn_python_range range, int minor);

pn_golden_attr *pn_golden_get(pn_golden_block *block, const char *key);

/* Returns the value of `key` (marking it read), or NULL when absent. */
const char *pn_golden_value(pn_golden_block *block, const char *key);

/* Returns the first attribute of block that nothing has read, or NULL. */
const pn_golden_attr *pn_golden_first_unused(const pn_golden_block *block);

/* The case's effective input: Input written Input-Repeat times, in a new
 * malloc'd buffer (NUL-terminated) with its length in *len. Marks both keys
 * read. Returns NULL when the case has no Input or memory runs out. */
char *pn_golden_expand_input(pn_golden_block *block, size_t *len);

#ifdef __cplusplus
}
#endif

#endif /* PYNOTES_CONFORMANCE_GOLDEN_READER_GOLDEN_FILE_H_ */
