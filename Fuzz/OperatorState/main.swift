import FuzzHarness

/// libFuzzer's entry point for the OperatorState target (see `scripts/fuzz.sh`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  FuzzHarness.operatorState(Array(UnsafeBufferPointer(start: data, count: size)))
  return 0
}
