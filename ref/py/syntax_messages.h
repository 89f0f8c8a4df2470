/*
 * CPython's SyntaxError messages, worded once for every parser of the
 * reference (ref/py/parse.c, and until they move onto it, ref/sizeof's and
 * the sympy session's): string literals, printf formats where the message
 * names a character or a kind, so that callers can append a location (" (<string>,
 * line 1)") at compile time. The wording is CPython 3.11's
 * (Parser/tokenizer.c, Parser/pegen_errors.c, Grammar/python.gram's
 * invalid_* rules); a version that words one differently gets its own macro
 * here, named after the versions it holds for (_PY37_310: 3.7 to 3.10), and
 * a message only some versions have names its first (_PY313: 3.13 on).
 * Messages of a pre-pegen parser (3.6 to 3.9) are not modelled.
 */
#ifndef PYNOTES_REF_PY_SYNTAX_MESSAGES_H_
#define PYNOTES_REF_PY_SYNTAX_MESSAGES_H_

/* The parser's own error when no invalid_* rule names the mistake. */
#define PY_SYNTAX_INVALID "invalid syntax"
/* invalid_expression: two expressions side by side inside brackets. */
#define PY_SYNTAX_FORGOT_COMMA "invalid syntax. Perhaps you forgot a comma?"
#define PY_SYNTAX_EXPECTED_ELSE "expected 'else' after 'if' expression"
/* invalid_named_expression: `NAME = value` inside brackets. */
#define PY_SYNTAX_MAYBE_EQUALS "invalid syntax. Maybe you meant '==' or ':=' instead of '='?"

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

/* Parsenumber's int(str) of a decimal literal past sys.get_int_max_str_digits()
 * (4300 by default; from 3.11 and the 2022 security releases of 3.7 to 3.10,
 * which word the limit without "digits"); %zu the literal's digits. */
#define PY_SYNTAX_INT_DIGITS                                                                    \
  "Exceeds the limit (4300 digits) for integer string conversion: value has %zu digits; use "   \
  "sys.set_int_max_str_digits() to increase the limit - Consider hexadecimal for huge integer " \
  "literals to avoid decimal conversion limits."
#define PY_SYNTAX_INT_DIGITS_PY37_310                                                           \
  "Exceeds the limit (4300) for integer string conversion: value has %zu digits; use "          \
  "sys.set_int_max_str_digits() to increase the limit - Consider hexadecimal for huge integer " \
  "literals to avoid decimal conversion limits."

/* Strings and characters (tokenizer.c, string_parser.c). */
#define PY_SYNTAX_UNTERMINATED_STRING "unterminated string literal (detected at line 1)"
#define PY_SYNTAX_UNTERMINATED_TRIPLE \
  "unterminated triple-quoted string literal (detected at line 1)"
/* From 3.12 (PEP 701) the tokenizer reads f-strings itself. */
#define PY_SYNTAX_UNTERMINATED_FSTRING_PY312 "unterminated f-string literal (detected at line 1)"
#define PY_SYNTAX_UNTERMINATED_TRIPLE_FSTRING_PY312 \
  "unterminated triple-quoted f-string literal (detected at line 1)"
/* The unicode-escape codec's errors in a str literal's body; %zu the
 * escape's first and last byte positions, %s the escape's form ("\\xXX"). */
#define PY_SYNTAX_TRUNCATED_ESCAPE                                                 \
  "(unicode error) 'unicodeescape' codec can't decode bytes in position %zu-%zu: " \
  "truncated %s escape"
#define PY_SYNTAX_ILLEGAL_UNICODE                                                          \
  "(unicode error) 'unicodeescape' codec can't decode bytes in position %zu-%zu: illegal " \
  "Unicode character"
/* builtin eval of a str source with a NUL: ValueError up to 3.11, a
 * SyntaxError without location from 3.12. */
#define PY_SOURCE_NULL_BYTES "source code string cannot contain null bytes"
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
/* invalid_for_if_clause (3.13): a comprehension's targets not followed by
 * `in`; earlier versions read them as expressions (a forgotten comma). */
#define PY_SYNTAX_IN_EXPECTED_PY313 "'in' expected after for-loop variables"

/* Nesting too deep for the AST's conversion (RecursionError). */
#define PY_RECURSION_AST "maximum recursion depth exceeded during ast construction"

/* The parsers before pegen's (3.6 to 3.8's LL(1) parser, 3.9's first PEG
 * parser), which report a failure at the token they stop at: "unexpected
 * EOF" when reading it met the end of the source. */
#define PY_SYNTAX_UNEXPECTED_EOF_PY36_39 "unexpected EOF while parsing"
#define PY_SYNTAX_EOL_PY36_39 "EOL while scanning string literal"
#define PY_SYNTAX_EOF_TRIPLE_PY36_39 "EOF while scanning triple-quoted string literal"
#define PY_SYNTAX_BYTES_ASCII_PY36_39 "bytes can only contain ASCII literal characters."
/* 3.6 to 3.8's tokenizer for a name with a character no identifier takes. */
#define PY_SYNTAX_INVALID_IDENTIFIER_PY36_38 "invalid character in identifier"
/* 3.6 and 3.7's tokenizer words every bad number so. */
#define PY_SYNTAX_INVALID_TOKEN_PY36_37 "invalid token"
/* ast.c's target check; %s what the target is ("literal", "keyword", ...). */
#define PY_SYNTAX_CANT_ASSIGN_PY36_37 "can't assign to %s"

#endif /* PYNOTES_REF_PY_SYNTAX_MESSAGES_H_ */
