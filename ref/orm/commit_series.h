/* The `orm-commits` program: a long series of small commits on the note's
 * model, for the test that kills the process between (and during) them. */
#ifndef PYNOTES_REF_ORM_COMMIT_SERIES_H_
#define PYNOTES_REF_ORM_COMMIT_SERIES_H_

#include <stdio.h>

/*
 * Commits count transactions on the sqlite file path (tables created as the
 * note does): transaction i adds Person(person_name='row I') and
 * Address(post_code='I', person=<that person>), then writes "committed I"
 * to out and flushes it. Stops at the first error, writing its exception
 * line. Returns 0, or 1 after an error.
 */
int pn_orm_commit_series(const char *path, long count, FILE *out);

#endif /* PYNOTES_REF_ORM_COMMIT_SERIES_H_ */
