/* rs_tree_res.h -- resident bytes for every node of a detailed snapshot's
   tree (the `#rs.tree_res:` lines, docs/detailed.md section 5.8).

   The Massif tree holds mapped bytes.  Most pages of a category are
   resident, so a detailed snapshot records only the bytes that are NOT
   resident, by the stack the tree files them under (RsNonRes); once the
   tree's text is written, each node's resident bytes are its mapped bytes
   minus the non-resident bytes of the stacks below it.  A node is found
   again in the text by its frame's address at its depth, as Valgrind's
   Massif printer groups stacks (inlined frames: one line each, same
   group); a "below threshold" or "--ignore-fn" line holds what its parent
   holds beyond its named siblings.

   Derived view: reads ExeContexts and debug info, calls nothing above. */
#ifndef RS_TREE_RES_H
#define RS_TREE_RES_H
#include "rs_common.h"
#include "rs_text.h"
#include "pub_tool_xtree.h"

/* Non-resident bytes by allocation/mapping stack, for one category.
   Invariant: the bytes filed under an ExeContext are a part of the mapped
   bytes the category's XTree holds for it. */
typedef struct _RsNonRes RsNonRes;

/* filter: the category XTree's own IP filter (the same stacks, cut the
   same way). */
RsNonRes* rs_nonres_new(XT_filter_IPs_t filter);
void      rs_nonres_add(RsNonRes* nr, ExeContext* ec, ULong bytes);
void      rs_nonres_delete(RsNonRes* nr);

/* Appends `#rs.tree_res: cat=CAT res_B=R0,R1,...` to out: one resident
   figure per line of sub, in order.  sub is the category's part of the
   tree text (its node line, then every line below it, to the end of the
   string or to the next line indented by one space). */
void rs_tree_res_append(RsText* out, const HChar* cat, const HChar* sub,
                        RsNonRes* nr);

#endif
