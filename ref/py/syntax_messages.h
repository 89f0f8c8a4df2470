/*
 * CPython's SyntaxError messages, worded once for every parser of the
 * reference (ref/py/parse.c, and until they move onto it, ref/sizeof's and
 * the sympy session's): string literals, printf formats where the message
 * names a character or a kind, so that callers can append a location (" (<string>,
 * line 1)") at compile time. The wording is CPython 3.11's
 * (Parser/tokenizer.c, Parser/pegen_errors.c, Grammar/python.gram's
 * invalid_* rules); a version that words one differently gets its own macro
 * here, named after the version.
 */
#ifndef PYNOTES_REF_PY_SYNTAX_MESSAGES_H_
#define PYNOTES_REF_PY_SYNTAX_MESSAGES_H_

/* The parser's own error when no invalid_* rule names the mistake. */
#define PY_SYNTAX_INVALID "invalid syntax"
/* invalid_expression: two expressions side by side inside brackets. */
#define PY_SYNTAX_FORGOT_COMMA "invalid syntax. Perhaps you forgot a comma?"
#define PY_SYNTAX_EXPECTED_ELSE "expected 'else' after 'if' expression"

/* Brackets (tokenizer.c); %c the bracket. */
#define PY_SYNTAX_NEVER_CLOSED "'%c' was never closed"
#define PY_SYNTAX_UNMATCHED "unmatched '%c'"
/* %c the closing bracket, then the opening one. */
#define PY_SYNTAX_MISMATCHED "closing parenthesis '%c' does not match opening parenthesis '%c'"
#define PY_SYNTAX_TOO_MANY_NESTED "too many nested parentheses"

/* Number literals (tokenizer.c); %s the kind: "decimal", "hexadecimal",
 * "octal", "binary", "imaginary"; %c a digit. */
#define PY_SYNTAX_INVALID_LITERAL "invalid %s literal"
#define PY_SYNTAX_INVALID_DECIMAL "invalid decimal literal"
#define PY_SYNTAX_INVALID_DIGIT "invalid digit '%c' in %s literal"
#define PY_SYNTAX_LEADING_ZEROS                                                              \
  "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal " \
  "integers"

/* Strings and characters (tokenizer.c, string_parser.c). */
#define PY_SYNTAX_UNTERMINATED_STRING "unterminated string literal (detected at line 1)"
#define PY_SYNTAX_UNTERMINATED_TRIPLE \
  "unterminated triple-quoted string literal (detected at line 1)"
#define PY_SYNTAX_LINE_CONTINUATION "unexpected character after line continuation character"
#define PY_SYNTAX_NULL_BYTES "source code cannot contain null bytes"
/* %.*s the character's UTF-8 bytes, %04X its code point. */
#define PY_SYNTAX_INVALID_CHARACTER "invalid character '%.*s' (U+%04X)"
#define PY_SYNTAX_BYTES_ASCII "bytes can only contain ASCII literal characters"
#define PY_SYNTAX_MIXED_BYTES "cannot mix bytes and nonbytes literals"
/* %zu the escape's offset in the literal's body. */
#define PY_SYNTAX_BAD_X_ESCAPE "(value error) invalid \\x escape at position %zu"

/* Arguments and targets (invalid_arguments, invalid_* target rules). */
#define PY_SYNTAX_POSITIONAL_AFTER_KEYWORD "positional argument follows keyword argument"
/* %.*s the keyword. */
#define PY_SYNTAX_KEYWORD_REPEATED "keyword argument repeated: %.*s"
/* %s what the target is: "literal", "function call", ... */
#define PY_SYNTAX_CANNOT_ASSIGN "cannot assign to %s"
/* %s as above; an assignment where a comparison may have been meant. */
#define PY_SYNTAX_CANNOT_ASSIGN_MAYBE_EQ \
  "cannot assign to %s here. Maybe you meant '==' instead of '='?"
#define PY_SYNTAX_STARRED_HERE "can't use starred expression here"
#define PY_SYNTAX_STARRED_DICT_VALUE "cannot use a starred expression in a dictionary value"
#define PY_SYNTAX_DICT_COLON_EXPECTED "':' expected after dictionary key"
#define PY_SYNTAX_DICT_VALUE_EXPECTED "expression expected after dictionary key and ':'"

#endif /* PYNOTES_REF_PY_SYNTAX_MESSAGES_H_ */
