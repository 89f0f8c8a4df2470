/*
 * A small declarative mapping: a table is described once, and from that
 * description come its DDL, its INSERT and SELECT statements (the text
 * SQLAlchemy 1.4's sqlite dialect compiles for the same model) and the
 * mapping between rows and C structs.
 *
 * A mapped struct starts with a pn_orm_instance and holds one pn_orm_value
 * per column and one instance pointer per relationship (nothing aligned
 * more strictly than they are), found through the offsets in the
 * description:
 *
 *   typedef struct person { pn_orm_instance base; pn_orm_value person_id, person_name; } person;
 */
#ifndef PYNOTES_REF_ORM_MAPPING_H_
#define PYNOTES_REF_ORM_MAPPING_H_

#include <stddef.h>
#include <stdint.h>

#include "ref/orm/pyrepr.h"
#include "ref/protocol/strbuf.h"

typedef enum pn_orm_type {
  PN_ORM_INTEGER, /* INTEGER */
  PN_ORM_STRING,  /* VARCHAR(length) */
} pn_orm_type;

typedef struct pn_orm_column {
  const char *name;
  pn_orm_type type;
  int length; /* for PN_ORM_STRING */
  int nullable;
  int primary_key;              /* an INTEGER primary key is filled in by sqlite when NULL */
  const char *references_table; /* a FOREIGN KEY, or NULL */
  const char *references_column;
  size_t offset; /* of the column's pn_orm_value in the mapped struct */
} pn_orm_column;

struct pn_orm_table;

/* A many-to-one relationship: the instance whose primary key the foreign key
 * column holds (SQLAlchemy's relationship(Target) beside a ForeignKey). */
typedef struct pn_orm_relationship {
  const char *name;
  size_t foreign_key; /* index of the column in this table */
  const struct pn_orm_table *target;
  size_t offset; /* of the pn_orm_instance * in the mapped struct */
} pn_orm_relationship;

typedef struct pn_orm_table {
  const char *name;
  const char *class_name; /* the mapped class, for reprs */
  const pn_orm_column *columns;
  size_t column_count;
  const pn_orm_relationship *relationships;
  size_t relationship_count;
  size_t struct_size;
  size_t primary_key; /* index of the (single) primary key column */
} pn_orm_table;

typedef enum pn_orm_state {
  PN_ORM_TRANSIENT,  /* not in the session */
  PN_ORM_PENDING,    /* added, not yet inserted */
  PN_ORM_PERSISTENT, /* has a row */
} pn_orm_state;

/* The head of every mapped struct; the session manages it. */
typedef struct pn_orm_instance {
  const pn_orm_table *table;
  struct pn_orm_instance *next_owned; /* the session's list of all its instances */
  uint64_t insert_order;
  pn_orm_state state;
  int expired; /* attributes must be reloaded before use (after commit) */
} pn_orm_instance;

/* The value of column i of inst. (Inline: loads and flushes call it for
 * every column of every row.) */
static inline pn_orm_value *pn_orm_column_value(pn_orm_instance *inst, size_t column) {
  return (pn_orm_value *)((char *)inst + inst->table->columns[column].offset);
}

/* The instance that relationship i of inst points to (NULL: none). */
static inline pn_orm_instance **pn_orm_related(pn_orm_instance *inst, size_t relationship) {
  return (pn_orm_instance **)((char *)inst + inst->table->relationships[relationship].offset);
}

/* Sets *value to a copy of the UTF-8 text (len bytes), or to NULL when text
 * is NULL, freeing what it held. Returns 0 or -1 (out of memory). */
int pn_orm_set_text(pn_orm_value *value, const char *text, size_t len);

/* Sets *value to an integer, freeing what it held. */
void pn_orm_set_int(pn_orm_value *value, int64_t integer);

/* Frees what *value holds and makes it NULL. */
void pn_orm_value_clear(pn_orm_value *value);

/* Copies src into *dst (freeing what dst held). Returns 0 or -1. */
int pn_orm_value_copy(pn_orm_value *dst, const pn_orm_value *src);

/* Appends name as SQLAlchemy's sqlite dialect writes an identifier: bare
 * when it is a lower-case legal name and not a reserved word, else in double
 * quotes. Returns 0 or -1. */
int pn_orm_append_identifier(pn_strbuf *out, const char *name);

/* Appends the CREATE TABLE statement create_all sends, exactly as its echo
 * shows it: "\nCREATE TABLE person (\n\tperson_id INTEGER NOT NULL, ...\n)\n\n".
 * Returns 0 or -1. */
int pn_orm_create_table_sql(pn_strbuf *out, const pn_orm_table *table);

/* Appends `PRAGMA SCHEMA.table_info("NAME")`, the check create_all makes
 * before creating (schema "main", then "temp"). Returns 0 or -1. */
int pn_orm_table_info_sql(pn_strbuf *out, const char *schema, const pn_orm_table *table);

/* Whether sqlite is to fill in inst's primary key on INSERT: an INTEGER
 * primary key that is NULL. */
int pn_orm_key_generated(pn_orm_instance *inst);

/* Appends the INSERT of a row of table: every column in table order, but
 * the primary key when key_generated. Returns 0 or -1. */
int pn_orm_insert_sql(pn_strbuf *out, const pn_orm_table *table, int key_generated);

/* What a SELECT of a table's rows filters on. */
typedef enum pn_orm_where {
  PN_ORM_WHERE_NONE,
  PN_ORM_WHERE_EQUALS,  /* column = ? */
  PN_ORM_WHERE_IS_NULL, /* column IS NULL (filter_by with None) */
} pn_orm_where;

/* Appends the ORM's SELECT of all columns of table ("SELECT person.person_id
 * AS person_person_id, ... \nFROM person"), with " \nWHERE person.COLUMN = ?"
 * or "IS NULL" for where, and "\n LIMIT ? OFFSET ?" when limited. Returns 0
 * or -1. */
int pn_orm_select_sql(pn_strbuf *out, const pn_orm_table *table, pn_orm_where where,
                      size_t where_column, int limited);

#endif /* PYNOTES_REF_ORM_MAPPING_H_ */
