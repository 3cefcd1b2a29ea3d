// Upper bounds for the log's verified read path, measured beside the same baseline as
// `meshc bench log` (64 KiB sequential reads of a file in the page cache): how fast the
// bytes can be reached and checksummed, in batch-sized slices, before any decoding.
// Not part of meshc: it explores designs (docs/log.md, "Benchmark"). Run it with
// scripts/bench-read-ceilings.sh.
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "crc32c_interleaved.h"

enum { slice = 115000, readBytes = 256 * 1024, ringSlots = 4 };

static double seconds(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return now.tv_sec + now.tv_nsec / 1e9;
}

static uint32_t checksum(uint32_t crc, const uint8_t *bytes, size_t count) {
  for (size_t at = 0; at < count; at += slice) {
    size_t length = count - at < slice ? count - at : slice;
    crc = meshc_crc32c_interleaved(crc, bytes + at, length);
  }
  return crc;
}

static uint32_t baseline(int file) {
  static uint8_t buffer[64 * 1024];
  uint32_t sink = 0;
  ssize_t count;
  off_t at = 0;
  while ((count = pread(file, buffer, sizeof buffer, at)) > 0) {
    sink += buffer[count - 1];
    at += count;
  }
  return sink;
}

static uint32_t preadAndChecksum(int file) {
  static uint8_t buffer[readBytes];
  uint32_t crc = 0;
  ssize_t count;
  off_t at = 0;
  while ((count = pread(file, buffer, sizeof buffer, at)) > 0) {
    crc = checksum(crc, buffer, (size_t)count);
    at += count;
  }
  return crc;
}

// A helper thread reads ahead into a ring of batch-sized windows, as meshc's readers do;
// the calling thread checksums. Either side waits by yielding the CPU.
static struct {
  int file;
  uint8_t *slots[ringSlots];
  ssize_t counts[ringSlots];
  int full[ringSlots];
} ring;

static void *readAhead(void *unused) {
  (void)unused;
  off_t at = 0;
  for (int slot = 0;; slot = (slot + 1) % ringSlots) {
    while (__atomic_load_n(&ring.full[slot], __ATOMIC_ACQUIRE)) sched_yield();
    ssize_t count = pread(ring.file, ring.slots[slot], slice, at);
    ring.counts[slot] = count;
    __atomic_store_n(&ring.full[slot], 1, __ATOMIC_RELEASE);
    if (count <= 0) return NULL;
    at += count;
  }
}

static uint32_t readAheadAndChecksum(int file) {
  ring.file = file;
  for (int slot = 0; slot < ringSlots; slot++) {
    ring.slots[slot] = malloc(slice);
    ring.full[slot] = 0;
  }
  pthread_t helper;
  pthread_create(&helper, NULL, readAhead, NULL);
  uint32_t crc = 0;
  for (int slot = 0;; slot = (slot + 1) % ringSlots) {
    while (!__atomic_load_n(&ring.full[slot], __ATOMIC_ACQUIRE)) sched_yield();
    ssize_t count = ring.counts[slot];
    if (count <= 0) break;
    crc = checksum(crc, ring.slots[slot], (size_t)count);
    __atomic_store_n(&ring.full[slot], 0, __ATOMIC_RELEASE);
  }
  pthread_join(helper, NULL);
  for (int slot = 0; slot < ringSlots; slot++) free(ring.slots[slot]);
  return crc;
}

static uint32_t mappedWindows(int file, size_t total, size_t window, int populate) {
  uint32_t crc = 0;
  for (size_t at = 0; at < total; at += window) {
    size_t length = total - at < window ? total - at : window;
    uint8_t *bytes = mmap(NULL, length, PROT_READ, MAP_SHARED | (populate ? MAP_POPULATE : 0), file, (off_t)at);
    if (bytes == MAP_FAILED) {
      perror("mmap");
      exit(1);
    }
    crc = checksum(crc, bytes, length);
    munmap(bytes, length);
  }
  return crc;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s FILE DESIGN (0-4)\n", argv[0]);
    return 2;
  }
  int design = atoi(argv[2]);
  int file = open(argv[1], O_RDONLY);
  if (file < 0) {
    perror(argv[1]);
    return 1;
  }
  size_t total = (size_t)lseek(file, 0, SEEK_END);
  volatile uint32_t sink = baseline(file);  // warms the page cache
  const char *names[] = {
    "pread 256 KiB, then CRC", "read-ahead thread (115 KB windows), CRC on the caller", "mapped 1 MiB windows, CRC in place",
    "mapped 16 MiB windows, CRC in place", "mapped 16 MiB windows, MAP_POPULATE",
  };
  {
    double start = seconds();
    sink += baseline(file);
    double baselineSeconds = seconds() - start;
    start = seconds();
    switch (design) {
      default: return 2;
      case 0: sink += preadAndChecksum(file); break;
      case 1: sink += readAheadAndChecksum(file); break;
      case 2: sink += mappedWindows(file, total, 1 << 20, 0); break;
      case 3: sink += mappedWindows(file, total, 16 << 20, 0); break;
      case 4: sink += mappedWindows(file, total, 16 << 20, 1); break;
    }
    double designSeconds = seconds() - start;
    printf("  %-54s %8.0f MB/s  ratio %.2f (baseline beside it %6.0f MB/s)\n", names[design],
           total / designSeconds / 1e6, baselineSeconds / designSeconds, total / baselineSeconds / 1e6);
  }
  (void)sink;
  return 0;
}
