/* What trace_child sends and names, so test_trace can look for it in the trace. */
#ifndef SECTRANS_TRACE_CHILD_H
#define SECTRANS_TRACE_CHILD_H

#define TRACE_CHILD_HOST   "secret-host.example"
#define TRACE_CHILD_SECRET "SECRET-PAYLOAD-4711"

#endif
