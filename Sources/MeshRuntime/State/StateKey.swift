/// Bytes as a dictionary key of state, hashed in one call rather than byte by byte (which
/// is what `[UInt8]` does, and where a join spent most of its time).
struct StateKey: Hashable {
  let bytes: [UInt8]

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  func hash(into hasher: inout Hasher) { bytes.withUnsafeBytes { hasher.combine(bytes: $0) } }
  static func == (a: StateKey, b: StateKey) -> Bool { a.bytes == b.bytes }
}
