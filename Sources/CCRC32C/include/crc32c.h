#ifndef MESHC_CRC32C_H
#define MESHC_CRC32C_H
#include <stddef.h>
#include <stdint.h>

/// Extends a CRC-32C (Castagnoli) over `length` bytes. Start with `crc = 0`; the
/// value returned for the whole input is the standard CRC-32C (init and final xor
/// are applied inside, so calls chain: crc32c(crc32c(0, a), b) == crc32c(0, a ++ b)).
uint32_t meshc_crc32c(uint32_t crc, const void *bytes, size_t length);

/// 1 when the SSE4.2 instruction is used, 0 when the table fallback is.
int meshc_crc32c_is_hardware(void);

#endif
