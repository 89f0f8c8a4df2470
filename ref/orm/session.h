/*
 * A unit-of-work session over a pn_orm_engine, as SQLAlchemy 1.4's Session
 * behaves for the mapped tables (ref/orm/mapping.h):
 *
 * - instances are made by the session (pn_orm_session_new_instance) and live
 *   until it is freed; `add` makes one pending, with the instances its
 *   relationships point to (the save-update cascade);
 * - `commit` flushes in one transaction, parent tables first and, within a
 *   table, in the order instances were added; a new row's generated key
 *   flows into the foreign keys pointing at it; then COMMIT, and every
 *   instance is expired (reloaded on next use);
 * - `rollback` ends the transaction; rows inserted in it are forgotten;
 * - queries load rows into the identity map (one instance per primary key);
 * - "BEGIN (implicit)" is logged when the session first needs the
 *   connection in a transaction, "COMMIT" and "ROLLBACK" at its end.
 *
 * Functions returning int give 0, or -1 with the Python exception in *err.
 */
#ifndef PYNOTES_REF_ORM_SESSION_H_
#define PYNOTES_REF_ORM_SESSION_H_

#include <stddef.h>

#include "ref/orm/engine.h"
#include "ref/orm/mapping.h"

typedef struct pn_orm_session pn_orm_session;

/* A session on engine (which must outlive it), or NULL (out of memory). */
pn_orm_session *pn_orm_session_new(pn_orm_engine *engine);

/* Frees the session and every instance it made. */
void pn_orm_session_free(pn_orm_session *session);

/* A new transient instance of table, all columns NULL, or NULL (out of
 * memory). The session owns it. */
pn_orm_instance *pn_orm_session_new_instance(pn_orm_session *session, const pn_orm_table *table);

/* Makes inst and the instances its relationships reach pending. */
void pn_orm_session_add(pn_orm_session *session, pn_orm_instance *inst);

int pn_orm_session_commit(pn_orm_session *session, pn_orm_error *err);
int pn_orm_session_rollback(pn_orm_session *session, pn_orm_error *err);

/* The result of a query: instances in row order. */
typedef struct pn_orm_result {
  pn_orm_instance **items;
  size_t count;
  size_t cap;
} pn_orm_result;

void pn_orm_result_free(pn_orm_result *result);

/*
 * query(table).filter_by(column=value).all() (where_column SIZE_MAX: no
 * filter; value NULL kind: IS NULL), or .first() when first is set (at most
 * one item). Flushes pending instances first, as autoflush does.
 */
int pn_orm_session_query(pn_orm_session *session, const pn_orm_table *table, size_t where_column,
                         const pn_orm_value *value, int first, pn_orm_result *result,
                         pn_orm_error *err);

/* Makes inst's attributes current: reloads an expired persistent instance
 * by its primary key. */
int pn_orm_session_load(pn_orm_session *session, pn_orm_instance *inst, pn_orm_error *err);

/* The instance relationship i of inst points to, loading it (from the
 * identity map, else by its key) when needed; *target NULL when none. */
int pn_orm_session_related(pn_orm_session *session, pn_orm_instance *inst, size_t relationship,
                           pn_orm_instance **target, pn_orm_error *err);

#endif /* PYNOTES_REF_ORM_SESSION_H_ */
