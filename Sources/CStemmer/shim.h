#ifndef WAYMARK_CSTEMMER_SHIM_H
#define WAYMARK_CSTEMMER_SHIM_H
#include <libstemmer.h>
#endif
