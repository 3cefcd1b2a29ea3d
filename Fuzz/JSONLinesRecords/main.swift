import FuzzHarness

/// libFuzzer's entry point for the JSONLinesRecords target (see `scripts/fuzz.sh`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  FuzzHarness.jsonLinesRecords(Array(UnsafeBufferPointer(start: data, count: size)))
  return 0
}
