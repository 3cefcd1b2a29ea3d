import MeshBytes

/// A window aggregate's keyed state (`KeyedState`: in memory, or in RocksDB past the
/// memory budget). Never reorder the fields of the encodings.
enum WindowState {
  /// An open tumbling or hopping window of a group, keyed by `key(end:group:)`: the
  /// group's values and its measures so far, and with `late: update` whether it has been
  /// emitted and changed since.
  ///
  /// The group (`AggregateGroup`), then flags (bit 0 emitted, bit 1 changed).
  struct Window: StateValue {
    var group: AggregateGroup
    var emitted = false
    var changed = false

    init(values: [GroupValue], accumulator: Accumulator) {
      group = AggregateGroup(values: values, accumulator: accumulator)
    }

    func encode(to out: inout ByteWriter) {
      group.encode(to: &out)
      out.write((emitted ? 1 : 0) | (changed ? 2 : 0))
    }

    init(from reader: inout ByteReader) throws(ByteReaderError) {
      group = try AggregateGroup(from: &reader)
      let flags = try reader.readByte()
      (emitted, changed) = (flags & 1 != 0, flags & 2 != 0)
    }
  }

  /// A group's open session windows, which never overlap, by start; keyed by the group.
  ///
  /// values (varint), each value, sessions (varint), each: start, end (zig-zag), the
  /// accumulator.
  struct Sessions: StateValue {
    var values: [GroupValue]
    var open: [WindowAggregateOperator.Session]

    init(values: [GroupValue], open: [WindowAggregateOperator.Session]) {
      self.values = values
      self.open = open
    }

    func encode(to out: inout ByteWriter) {
      GroupValue.encode(values, to: &out)
      out.writeVarint(UInt64(open.count))
      for session in open {
        out.writeZigZag(session.start)
        out.writeZigZag(session.end)
        session.accumulator.encode(to: &out)
      }
    }

    init(from reader: inout ByteReader) throws(ByteReaderError) {
      values = try GroupValue.values(from: &reader)
      open = []
      for _ in 0..<(try reader.readVarint()) {
        open.append(
          WindowAggregateOperator.Session(
            start: try reader.readZigZag(), end: try reader.readZigZag(), accumulator: try Accumulator(from: &reader)))
      }
    }

    /// The earliest end of the open sessions.
    var earliestEnd: Int64? { open.lazy.map(\.end).min() }
  }

  /// A window's key: its end, big-endian with the sign bit flipped so that keys sort by
  /// end (negative ends first), then the group's bytes — the order windows are emitted in.
  static func key(end: Int64, group: [UInt8]) -> StateKey { StateKey(endPrefix(end) + group) }

  /// The keys of windows ending before `end` all precede this one.
  static func bound(before end: Int64) -> StateKey { StateKey(endPrefix(end)) }

  private static func endPrefix(_ end: Int64) -> [UInt8] {
    withUnsafeBytes(of: (UInt64(bitPattern: end) ^ (1 << 63)).bigEndian) { Array($0) }
  }

  /// The end and group of a window's key.
  static func window(of key: StateKey) -> (end: Int64, group: [UInt8]) {
    let bytes = key.bytes
    var end: UInt64 = 0
    for byte in bytes.prefix(8) { end = end << 8 | UInt64(byte) }
    return (Int64(bitPattern: end ^ (1 << 63)), Array(bytes.dropFirst(8)))
  }
}
