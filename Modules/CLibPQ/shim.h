#ifndef FELT_CLIBPQ_SHIM_H
#define FELT_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
