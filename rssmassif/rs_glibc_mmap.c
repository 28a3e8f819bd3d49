/*--------------------------------------------------------------------*/
/*--- rssmassif: glibc's dynamic mmap threshold.    rs_glibc_mmap.c ---*/
/*--------------------------------------------------------------------*/
/* SPDX-License-Identifier: GPL-2.0-or-later */

#include "rs_glibc_mmap.h"
#include "rs_mutant.h"

#define SIZE_SZ       8ULL           /* glibc's INTERNAL_SIZE_T on amd64 */
#define ALIGN_MASK    15ULL          /* MALLOC_ALIGNMENT - 1             */
#define MIN_CHUNK_B   32ULL

void rs_glibc_mmap_init(RsMmapThreshold* m)
{
   VG_(memset)(m, 0, sizeof *m);
   m->threshold_B = RS_GLIBC_MMAP_THRESHOLD_B;
}

ULong rs_glibc_chunk_B(ULong req_B)
{
   ULong b = (req_B + SIZE_SZ + ALIGN_MASK) & ~ALIGN_MASK;
   return b < MIN_CHUNK_B ? MIN_CHUNK_B : b;
}

ULong rs_glibc_mmapped_chunk_B(ULong req_B)
{
   return RS_PAGE_UP(rs_glibc_chunk_B(req_B) + SIZE_SZ);
}

Bool rs_glibc_mmap_is_large(ULong req_B)
{
   return rs_glibc_chunk_B(req_B) >= RS_GLIBC_MMAP_THRESHOLD_B;
}

Bool rs_glibc_mmap_on_free(RsMmapThreshold* m, ULong chunk_B)
{
   if (RS_MUTANT_IS(1103) || m->fixed || chunk_B <= m->threshold_B
       || chunk_B > RS_GLIBC_MMAP_THRESHOLD_MAX_B)
      return False;
   m->threshold_B = chunk_B;
   m->n_raises++;
   return True;
}

void rs_glibc_mmap_on_alloc(RsMmapThreshold* m, ULong req_B, Bool own_chunk)
{
   if ((own_chunk && !RS_MUTANT_IS(1105)) || m->fixed || m->n_raises == 0)
      return;
   m->later_heap_B += req_B;
   m->later_heap_blocks++;
}

Bool rs_glibc_mmap_param_fixes(Int param)
{
   /* M_TRIM_THRESHOLD -1, M_TOP_PAD -2, M_MMAP_THRESHOLD -3, M_MMAP_MAX -4 */
   return param >= -4 && param <= -1;
}

Bool rs_glibc_mmap_env_fixes(const HChar* name, const HChar* value)
{
   static const HChar* vars[] = { "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_",
                                  "MALLOC_MMAP_THRESHOLD_", "MALLOC_MMAP_MAX_" };
   static const HChar* tunables[] = { "glibc.malloc.trim_threshold",
                                      "glibc.malloc.top_pad",
                                      "glibc.malloc.mmap_threshold",
                                      "glibc.malloc.mmap_max" };
   UInt i;
   if (value == NULL)
      return False;
   for (i = 0; i < 4; i++) {
      if (VG_STREQ(name, vars[i]))
         return True;
      if (VG_STREQ(name, "GLIBC_TUNABLES") && VG_(strstr)(value, tunables[i]))
         return True;
   }
   return False;
}
