#ifndef WAYMARK_CCOMPRESSION_SHIM_H
#define WAYMARK_CCOMPRESSION_SHIM_H
#include <zlib.h>
#include <brotli/encode.h>
#endif
