#ifndef WAYMARK_CCMARKGFM_SHIM_H
#define WAYMARK_CCMARKGFM_SHIM_H
#include <cmark-gfm.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm-core-extensions.h>

/// The table and strikethrough node kinds, which libcmark-gfm-extensions exports but Debian's headers do
/// not declare (upstream's table.h and strikethrough.h are not installed).
extern cmark_node_type CMARK_NODE_TABLE, CMARK_NODE_TABLE_ROW, CMARK_NODE_TABLE_CELL, CMARK_NODE_STRIKETHROUGH;

/// The table extension's rule for what its nodes hold (extensions/table.c, `can_contain`, cmark-gfm
/// 0.29.0.gfm.6), plus custom inlines in cells. Its cells accept only the inline kinds its parser makes, so
/// `cmark_node_insert_before` refused the custom inline that carries an image's size and `srcset` (it
/// returned 0 and the image vanished from the cell). Custom inlines are written verbatim by the HTML
/// renderer like any inline; the parser never makes one, so parsing is unchanged.
static int waymark_table_can_contain(cmark_syntax_extension *extension, cmark_node *node, cmark_node_type child) {
    (void)extension;
    cmark_node_type type = cmark_node_get_type(node);
    if (type == CMARK_NODE_TABLE) return child == CMARK_NODE_TABLE_ROW;
    if (type == CMARK_NODE_TABLE_ROW) return child == CMARK_NODE_TABLE_CELL;
    if (type == CMARK_NODE_TABLE_CELL) {
        return child == CMARK_NODE_TEXT || child == CMARK_NODE_CODE || child == CMARK_NODE_EMPH || child == CMARK_NODE_STRONG ||
               child == CMARK_NODE_LINK || child == CMARK_NODE_IMAGE || child == CMARK_NODE_STRIKETHROUGH ||
               child == CMARK_NODE_HTML_INLINE || child == CMARK_NODE_FOOTNOTE_REFERENCE || child == CMARK_NODE_CUSTOM_INLINE;
    }
    return 0;
}

/// Registers the GFM extensions (once per process, before any parse) with the table rule above.
static inline void waymark_register_extensions(void) {
    cmark_gfm_core_extensions_ensure_registered();
    cmark_syntax_extension *table = cmark_find_syntax_extension("table");
    if (table) cmark_syntax_extension_set_can_contain_func(table, waymark_table_can_contain);
}
#endif
