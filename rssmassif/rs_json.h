/* rs_json.h -- the JSON summary (--json-file): a stable, versioned digest
   of a run for test suites and scripts.  See docs/json.md. */
#ifndef RS_JSON_H
#define RS_JSON_H
#include "rs_common.h"

/* Checks at start-up that the JSON file can be created. */
void rs_json_check_writable(void);
/* Writes the JSON summary (after the final snapshot). */
void rs_json_write(void);

#endif
