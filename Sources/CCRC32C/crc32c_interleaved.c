// Three-stream CRC-32C after Mark Adler's crc32c.c (zlib licence): the input is cut in
// three blocks checksummed in parallel; the first two results are then "shifted" past
// the following blocks with precomputed tables (the CRC of that many zero bytes, as a
// GF(2) matrix applied byte by byte) and xored in.
#include "crc32c_interleaved.h"
#include "crc32c.h"
#include <string.h>

#if defined(__x86_64__)
#include <nmmintrin.h>

#define POLY 0x82f63b78u
#define LONG 8192
#define SHORT 256

static uint32_t long_shift[4][256];
static uint32_t short_shift[4][256];

static uint32_t gf2_matrix_times(const uint32_t *mat, uint32_t vec) {
  uint32_t sum = 0;
  while (vec) {
    if (vec & 1) sum ^= *mat;
    vec >>= 1;
    mat++;
  }
  return sum;
}

static void gf2_matrix_square(uint32_t *square, const uint32_t *mat) {
  for (int n = 0; n < 32; n++) square[n] = gf2_matrix_times(mat, mat[n]);
}

// The operator that appends `length` zero bytes (a power of two) to a CRC.
static void zeros_operator(uint32_t *even, size_t length) {
  uint32_t odd[32];
  odd[0] = POLY;
  uint32_t row = 1;
  for (int n = 1; n < 32; n++) {
    odd[n] = row;
    row <<= 1;
  }
  gf2_matrix_square(even, odd);  // two zero bits
  gf2_matrix_square(odd, even);  // four zero bits
  do {
    gf2_matrix_square(even, odd);
    length >>= 1;
    if (length == 0) return;
    gf2_matrix_square(odd, even);
    length >>= 1;
  } while (length);
  for (int n = 0; n < 32; n++) even[n] = odd[n];
}

static void zeros_tables(uint32_t table[][256], size_t length) {
  uint32_t op[32];
  zeros_operator(op, length);
  for (uint32_t n = 0; n < 256; n++) {
    table[0][n] = gf2_matrix_times(op, n);
    table[1][n] = gf2_matrix_times(op, n << 8);
    table[2][n] = gf2_matrix_times(op, n << 16);
    table[3][n] = gf2_matrix_times(op, n << 24);
  }
}

// Built before main, like the table of crc32c.c, so concurrent first calls never race.
__attribute__((constructor)) static void build_shift_tables(void) {
  zeros_tables(long_shift, LONG);
  zeros_tables(short_shift, SHORT);
}

static inline uint32_t shift(uint32_t table[][256], uint32_t crc) {
  return table[0][crc & 0xff] ^ table[1][(crc >> 8) & 0xff] ^ table[2][(crc >> 16) & 0xff] ^ table[3][crc >> 24];
}

static inline uint64_t load64(const unsigned char *p) {
  uint64_t word;
  memcpy(&word, p, 8);
  return word;
}

__attribute__((target("sse4.2")))
static uint32_t interleaved(uint32_t crc, const unsigned char *next, size_t length) {
  uint64_t crc0 = crc ^ 0xffffffffu, crc1, crc2;
  while (length >= LONG * 3) {
    crc1 = 0;
    crc2 = 0;
    const unsigned char *end = next + LONG;
    do {
      crc0 = _mm_crc32_u64(crc0, load64(next));
      crc1 = _mm_crc32_u64(crc1, load64(next + LONG));
      crc2 = _mm_crc32_u64(crc2, load64(next + LONG + LONG));
      next += 8;
    } while (next < end);
    crc0 = shift(long_shift, (uint32_t)crc0) ^ crc1;
    crc0 = shift(long_shift, (uint32_t)crc0) ^ crc2;
    next += LONG * 2;
    length -= LONG * 3;
  }
  while (length >= SHORT * 3) {
    crc1 = 0;
    crc2 = 0;
    const unsigned char *end = next + SHORT;
    do {
      crc0 = _mm_crc32_u64(crc0, load64(next));
      crc1 = _mm_crc32_u64(crc1, load64(next + SHORT));
      crc2 = _mm_crc32_u64(crc2, load64(next + SHORT + SHORT));
      next += 8;
    } while (next < end);
    crc0 = shift(short_shift, (uint32_t)crc0) ^ crc1;
    crc0 = shift(short_shift, (uint32_t)crc0) ^ crc2;
    next += SHORT * 2;
    length -= SHORT * 3;
  }
  while (length >= 8) {
    crc0 = _mm_crc32_u64(crc0, load64(next));
    next += 8;
    length -= 8;
  }
  uint32_t crc32 = (uint32_t)crc0;
  while (length--) crc32 = _mm_crc32_u8(crc32, *next++);
  return crc32 ^ 0xffffffffu;
}

uint32_t meshc_crc32c_interleaved(uint32_t crc, const void *bytes, size_t length) {
  if (!meshc_crc32c_is_hardware()) return meshc_crc32c(crc, bytes, length);
  return interleaved(crc, (const unsigned char *)bytes, length);
}

#else

uint32_t meshc_crc32c_interleaved(uint32_t crc, const void *bytes, size_t length) {
  return meshc_crc32c(crc, bytes, length);
}

#endif
