#ifndef WAYMARK_HIGHLIGHT_H
#define WAYMARK_HIGHLIGHT_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// What a run of code is, as Waymark's stylesheet colours it. GNU source-highlight names about forty
/// elements across its language files (`keyword`, `usertype`, `oldfile`…); the bridge folds them into
/// these, and everything else is plain text.
typedef enum {
    WAYMARK_TOKEN_PLAIN = 0,
    WAYMARK_TOKEN_KEYWORD,
    WAYMARK_TOKEN_TYPE,
    WAYMARK_TOKEN_STRING,
    WAYMARK_TOKEN_COMMENT,
    WAYMARK_TOKEN_NUMBER,
    WAYMARK_TOKEN_FUNCTION,
    WAYMARK_TOKEN_VARIABLE,
    WAYMARK_TOKEN_ATTRIBUTE,
    WAYMARK_TOKEN_META,
    WAYMARK_TOKEN_INSERTED,
    WAYMARK_TOKEN_DELETED,
} waymark_token_kind;

/// One run of the highlighted text: `length` bytes from `start`, all of one kind. Runs cover the
/// input in order, without gaps (newlines are plain runs).
typedef struct {
    uint32_t start;
    uint32_t length;
    int32_t kind;
} waymark_token;

/// Parses the language definition `file` in `directory` (source-highlight's `.lang` format; its
/// `include`s are looked up in the same directory) and keeps it under `name` for `waymark_highlight`.
/// Returns 0, or -1 with a message in `error` (`capacity` bytes). Not thread-safe: the definition
/// parser is a flex/bison parser with global state; callers serialise every call into this file.
int waymark_highlight_load(const char *name, const char *directory, const char *file, char *error, size_t capacity);

/// Whether a language was loaded under `name`.
int waymark_highlight_has(const char *name);

/// Splits `length` bytes of `code` into runs with the language loaded as `name`. On success returns 0
/// and `*count` runs in `*tokens` (release with `waymark_highlight_free`); on failure (unknown name, a
/// regular expression that gave up, out of memory) -1 and a message in `error`. Not thread-safe (see
/// `waymark_highlight_load`).
int waymark_highlight(
    const char *name, const char *code, size_t length, waymark_token **tokens, size_t *count, char *error, size_t capacity);

void waymark_highlight_free(waymark_token *tokens);

#ifdef __cplusplus
}
#endif
#endif
