import MeshBytes

/// A group of an aggregate as keyed state: its values (to emit with its measures) and its
/// accumulator — a table aggregate's group, and the body of a window of one.
///
/// values (varint), each value, then the accumulator. Never reorder the fields.
struct AggregateGroup: Codable, StateValue {
  var values: [GroupValue]
  var accumulator: Accumulator

  init(values: [GroupValue], accumulator: Accumulator) {
    self.values = values
    self.accumulator = accumulator
  }

  func encode(to out: inout ByteWriter) {
    GroupValue.encode(values, to: &out)
    accumulator.encode(to: &out)
  }

  init(from reader: inout ByteReader) throws(ByteReaderError) {
    values = try GroupValue.values(from: &reader)
    accumulator = try Accumulator(from: &reader)
  }
}
