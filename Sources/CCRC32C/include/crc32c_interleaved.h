#ifndef MESHC_CRC32C_INTERLEAVED_H
#define MESHC_CRC32C_INTERLEAVED_H
#include <stddef.h>
#include <stdint.h>

/// The same CRC-32C as meshc_crc32c (and chains the same way), computed as three
/// independent streams of the SSE4.2 instruction whose results are combined, which
/// hides the instruction's three-cycle latency: about three times faster on long inputs.
/// Falls back to meshc_crc32c without the instruction.
uint32_t meshc_crc32c_interleaved(uint32_t crc, const void *bytes, size_t length);

#endif
