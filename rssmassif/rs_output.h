/* rs_output.h -- the rssmassif.out file and the exit summary. */
#ifndef RS_OUTPUT_H
#define RS_OUTPUT_H
#include "rs_common.h"
#include "rs_snapshot.h"

/* Checks at start-up that the output file can be created (so a bad name
   fails before the client runs, like Valgrind's --log-file). */
void rs_output_check_writable(void);
/* Writes every snapshot in the store to the output file. */
void rs_output_write_file(void);
/* Writes a file holding the one snapshot s (monitor commands). */
Bool rs_output_write_one(const HChar* name, const RsSnapshot* s);
/* Prints the exit summary to the Valgrind log. */
void rs_output_summary(void);

#endif
