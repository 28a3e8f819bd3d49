/*--------------------------------------------------------------------*/
/*--- rssmassif: names of categories and origins.        rs_vocab.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Layer 1, vocabulary: the words every printer uses for the categories
   and origins of rs_common.h (one place, so that the output file, the
   JSON and the exit summary spell them alike).  Uses nothing of the tool. */

#include "rs_common.h"

const HChar* rs_category_key(RsCategory c)
{
   static const HChar* keys[RS_N_CATS] = {
      "heap_live", "heap_dead", "loader", "stack", "other" };
   return keys[c];
}

const HChar* rs_category_title(RsCategory c)
{
   static const HChar* titles[RS_N_CATS] = {
      "heap live", "heap dead", "loader", "stack", "other" };
   return titles[c];
}

const HChar* rs_origin_name(RsOrigin o)
{
   static const HChar* names[RS_N_ORIGINS] = {
      "heap", "loader", "stack", "other" };
   return names[o];
}
