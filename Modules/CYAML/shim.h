#ifndef FELT_CYAML_SHIM_H
#define FELT_CYAML_SHIM_H
#include <yaml.h>
#endif
