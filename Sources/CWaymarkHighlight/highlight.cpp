// The one file that talks to GNU source-highlight (libsource-highlight, C++). Everything outside it sees
// the C functions declared in include/waymark_highlight.h: plain runs of bytes with a kind, no HTML. The
// HTML (and so all escaping) is written by Waymark's Swift code, never by source-highlight's output
// language files.

#include "waymark_highlight.h"

#include <srchilite/formatter.h>
#include <srchilite/formattermanager.h>
#include <srchilite/formatterparams.h>
#include <srchilite/highlightbuilderexception.h>
#include <srchilite/langdefmanager.h>
#include <srchilite/parserexception.h>
#include <srchilite/regexrulefactory.h>
#include <srchilite/sourcehighlighter.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <map>
#include <new>
#include <string>
#include <vector>

namespace {

using srchilite::FormatterPtr;

/// Element names of source-highlight's language files and the kind each is shown as.
const std::pair<const char *, waymark_token_kind> elementKinds[] = {
    {"keyword", WAYMARK_TOKEN_KEYWORD},
    {"type", WAYMARK_TOKEN_TYPE},
    {"usertype", WAYMARK_TOKEN_TYPE},
    {"classname", WAYMARK_TOKEN_TYPE},
    {"string", WAYMARK_TOKEN_STRING},
    {"valquote", WAYMARK_TOKEN_STRING},
    {"regexp", WAYMARK_TOKEN_STRING},
    {"specialchar", WAYMARK_TOKEN_STRING},
    {"value", WAYMARK_TOKEN_STRING},
    {"comment", WAYMARK_TOKEN_COMMENT},
    {"todo", WAYMARK_TOKEN_COMMENT},
    {"number", WAYMARK_TOKEN_NUMBER},
    {"function", WAYMARK_TOKEN_FUNCTION},
    {"predef_func", WAYMARK_TOKEN_FUNCTION},
    {"variable", WAYMARK_TOKEN_VARIABLE},
    {"predef_var", WAYMARK_TOKEN_VARIABLE},
    {"key", WAYMARK_TOKEN_ATTRIBUTE},
    {"keyquote", WAYMARK_TOKEN_ATTRIBUTE},
    {"property", WAYMARK_TOKEN_ATTRIBUTE},
    {"attribute", WAYMARK_TOKEN_ATTRIBUTE},
    {"preproc", WAYMARK_TOKEN_META},
    {"difflines", WAYMARK_TOKEN_META},
    {"selector", WAYMARK_TOKEN_META},
    {"label", WAYMARK_TOKEN_META},
    {"newfile", WAYMARK_TOKEN_INSERTED},
    {"oldfile", WAYMARK_TOKEN_DELETED},
};

/// Receives the text of one element at a time, in order, and appends it as a run (merged with the
/// previous run when of the same kind).
class RunFormatter : public srchilite::Formatter {
  public:
    RunFormatter(waymark_token_kind kind, std::vector<waymark_token> *runs, size_t *offset) : kind(kind), runs(runs), offset(offset) {}
    void format(const std::string &s, const srchilite::FormatterParams *) override { append(*runs, *offset, s.size(), kind); }

    static void append(std::vector<waymark_token> &runs, size_t &offset, size_t length, waymark_token_kind kind) {
        if (length == 0) return;
        if (!runs.empty() && runs.back().kind == kind) {
            runs.back().length += (uint32_t)length;
        } else {
            runs.push_back({(uint32_t)offset, (uint32_t)length, kind});
        }
        offset += length;
    }

  private:
    waymark_token_kind kind;
    std::vector<waymark_token> *runs;
    size_t *offset;
};

srchilite::RegexRuleFactory ruleFactory;
/// Builds each definition once; kept for the process (a few kB per language).
srchilite::LangDefManager definitions(&ruleFactory);
std::map<std::string, srchilite::HighlightStatePtr> languages;

void fail(char *error, size_t capacity, const std::string &message) { std::snprintf(error, capacity, "%s", message.c_str()); }

}  // namespace

extern "C" int waymark_highlight_load(const char *name, const char *directory, const char *file, char *error, size_t capacity) {
    try {
        languages[name] = definitions.buildHighlightState(directory, file);
        return 0;
    } catch (const srchilite::HighlightBuilderException &e) {
        std::string where = e.filename.empty() ? std::string(directory) + "/" + file : e.filename;
        if (e.line > 0) where += ":" + std::to_string(e.line);
        fail(error, capacity, where + ": " + e.message + " (" + e.causedBy.what() + ")");
    } catch (const srchilite::ParserException &e) {
        std::string where = e.filename.empty() ? std::string(directory) + "/" + file : e.filename;
        if (e.line > 0) where += ":" + std::to_string(e.line);
        fail(error, capacity, where + ": " + e.message + (e.additional.empty() ? "" : " (" + e.additional + ")"));
    } catch (const std::exception &e) {
        fail(error, capacity, std::string(directory) + "/" + file + ": " + e.what());
    } catch (...) {
        fail(error, capacity, std::string(directory) + "/" + file + ": unknown error");
    }
    return -1;
}

extern "C" int waymark_highlight_has(const char *name) { return languages.count(name) ? 1 : 0; }

extern "C" int waymark_highlight(
    const char *name, const char *code, size_t length, waymark_token **tokens, size_t *count, char *error, size_t capacity) {
    *tokens = nullptr;
    *count = 0;
    auto found = languages.find(name);
    if (found == languages.end()) {
        fail(error, capacity, std::string("no language '") + name + "' is loaded");
        return -1;
    }
    if (length > UINT32_MAX) {
        fail(error, capacity, "code longer than 4 GB");
        return -1;
    }
    try {
        std::vector<waymark_token> runs;
        size_t offset = 0;
        FormatterPtr plain(new RunFormatter(WAYMARK_TOKEN_PLAIN, &runs, &offset));
        srchilite::FormatterManager formatters(plain);
        for (const auto &element : elementKinds) {
            formatters.addFormatter(element.first, FormatterPtr(new RunFormatter(element.second, &runs, &offset)));
        }
        srchilite::SourceHighlighter highlighter(found->second);
        highlighter.setFormatterManager(&formatters);
        highlighter.setOptimize(true);
        srchilite::FormatterParams params;
        highlighter.setFormatterParams(&params);
        // source-highlight works a line at a time, without the line's end; its states (an open comment,
        // a heredoc) carry over to the next line.
        size_t start = 0;
        while (start <= length) {
            const char *end = static_cast<const char *>(std::memchr(code + start, '\n', length - start));
            size_t lineEnd = end ? (size_t)(end - code) : length;
            params.start = 0;
            highlighter.highlightParagraph(std::string(code + start, lineEnd - start));
            if (offset != lineEnd) {
                // Every byte of the line must be in a run: anything else would drop or repeat text.
                fail(error, capacity, "source-highlight returned " + std::to_string(offset - start) + " bytes for a line of " +
                                          std::to_string(lineEnd - start));
                return -1;
            }
            if (!end) break;
            RunFormatter::append(runs, offset, 1, WAYMARK_TOKEN_PLAIN);
            start = lineEnd + 1;
        }
        *tokens = static_cast<waymark_token *>(std::malloc(sizeof(waymark_token) * (runs.empty() ? 1 : runs.size())));
        if (!*tokens) throw std::bad_alloc();
        std::memcpy(*tokens, runs.data(), sizeof(waymark_token) * runs.size());
        *count = runs.size();
        return 0;
    } catch (const std::exception &e) {
        fail(error, capacity, e.what());
    } catch (...) {
        fail(error, capacity, "unknown error");
    }
    return -1;
}

extern "C" void waymark_highlight_free(waymark_token *tokens) { std::free(tokens); }
