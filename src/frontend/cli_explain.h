/* demarche-score --explain in words: what a feature name means to a reader. */
#ifndef DM_CLI_EXPLAIN_H
#define DM_CLI_EXPLAIN_H

#include <stddef.h>

/* Describe feature `name` ("w:not acceptable", "t:L:thank", "lex:hostile_sum")
 * in words ("the words \"not acceptable\"", "the word \"thank\" left of the
 * target", "the hostile words (their weighted sum)") into buf. */
void dm_cli_describe_feature(const char *name, char *buf, size_t size);

#endif
