/* rs_resid.h -- residency of client pages (mincore), layer 3. */
#ifndef RS_RESID_H
#define RS_RESID_H
#include "rs_common.h"

/* Residency of n_pages pages from a, from the kernel (mincore): bit 0 of
   vec[i] is set for a resident page; a page the kernel does not map
   reads as not resident. */
void  rs_read_residency(Addr a, UWord n_pages, UChar* vec);
/* The first page at or after a, below end, that Valgrind's address-space
   manager sees mapped (end if none): where the free space at a ends. */
Addr  rs_free_space_end(Addr a, Addr end);
/* Prints the number of mincore calls (--stats). */
void  rs_resid_print_stats(void);

#endif
