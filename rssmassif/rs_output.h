/* rs_output.h -- the rssmassif.out file and the exit summary. */
#ifndef RS_OUTPUT_H
#define RS_OUTPUT_H
#include "rs_common.h"
#include "rs_snapshot.h"

/* Creates the output file and starts streaming snapshots to it; a name
   that cannot be created is a fatal one-line error before the client
   runs (like Valgrind's --log-file). */
void rs_output_start(void);
/* Appends a snapshot just taken to the streamed file. */
void rs_output_stream_snapshot(const RsSnapshot* s);
/* In a forked child: stream to the child's own file. */
void rs_output_after_fork_child(void);
/* Writes the final set of snapshots (temporary file, then rename). */
void rs_output_write_file(void);
/* The same while the client goes on: streaming continues after it. */
void rs_output_checkpoint(void);
/* Writes a file holding the one snapshot s (monitor commands). */
Bool rs_output_write_one(const HChar* name, const RsSnapshot* s);
/* Prints the exit summary to the Valgrind log. */
void rs_output_summary(void);

#endif
