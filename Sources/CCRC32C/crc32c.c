#include "crc32c.h"
#include <string.h>

int meshc_crc32c_is_hardware(void);

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <nmmintrin.h>
#define MESHC_X86 1
#endif

static uint32_t table[8][256];
static int hardware = -1;

// Built before main so concurrent first calls never race on the table or the cpuid probe.
__attribute__((constructor)) static void build_table(void) {
  for (uint32_t n = 0; n < 256; n++) {
    uint32_t c = n;
    for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
    table[0][n] = c;
  }
  for (uint32_t n = 0; n < 256; n++) {
    uint32_t c = table[0][n];
    for (int t = 1; t < 8; t++) {
      c = table[0][c & 0xFF] ^ (c >> 8);
      table[t][n] = c;
    }
  }
  (void)meshc_crc32c_is_hardware();
}

// Slicing-by-8 keeps the fallback within a small factor of the instruction.
static uint32_t software(uint32_t crc, const unsigned char *p, size_t n) {
  while (n >= 8) {
    uint64_t word;
    memcpy(&word, p, 8);
    word ^= crc;
    crc = table[7][word & 0xFF] ^ table[6][(word >> 8) & 0xFF] ^
          table[5][(word >> 16) & 0xFF] ^ table[4][(word >> 24) & 0xFF] ^
          table[3][(word >> 32) & 0xFF] ^ table[2][(word >> 40) & 0xFF] ^
          table[1][(word >> 48) & 0xFF] ^ table[0][word >> 56];
    p += 8;
    n -= 8;
  }
  while (n--) crc = table[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
  return crc;
}

#ifdef MESHC_X86
__attribute__((target("sse4.2")))
static uint32_t accelerated(uint32_t crc, const unsigned char *p, size_t n) {
  uint64_t c = crc;
  while (n >= 8) {
    uint64_t word;
    memcpy(&word, p, 8);
    c = _mm_crc32_u64(c, word);
    p += 8;
    n -= 8;
  }
  uint32_t c32 = (uint32_t)c;
  while (n--) c32 = _mm_crc32_u8(c32, *p++);
  return c32;
}
#endif

int meshc_crc32c_is_hardware(void) {
  if (hardware < 0) {
    hardware = 0;
#ifdef MESHC_X86
    unsigned int eax, ebx, ecx, edx;
    if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & bit_SSE4_2)) hardware = 1;
#endif
  }
  return hardware;
}

uint32_t meshc_crc32c(uint32_t crc, const void *bytes, size_t length) {
  const unsigned char *p = (const unsigned char *)bytes;
  uint32_t state = ~crc;
#ifdef MESHC_X86
  if (meshc_crc32c_is_hardware()) return ~accelerated(state, p, length);
#endif
  return ~software(state, p, length);
}
