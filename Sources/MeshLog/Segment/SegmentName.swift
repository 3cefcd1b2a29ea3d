/// Segment file names: the base offset zero-padded to 20 digits, so that names sort in
/// offset order (as Kafka's do), with `.log`, `.index` and `.timeindex` extensions.
enum SegmentName {
  static let logExtension = ".log"
  static let indexExtension = ".index"
  static let timeIndexExtension = ".timeindex"
  /// Suffix of a cleaned copy being written by compaction; incomplete until renamed.
  static let cleanedSuffix = ".cleaned"
  /// Suffix of a segment being removed by retention or compaction.
  static let deletedSuffix = ".deleted"

  static func stem(_ base: Offset) -> String {
    let digits = String(base.value)
    return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
  }

  static func log(_ base: Offset) -> String { stem(base) + logExtension }
  static func index(_ base: Offset) -> String { stem(base) + indexExtension }
  static func timeIndex(_ base: Offset) -> String { stem(base) + timeIndexExtension }

  /// The base offset of a `.log` name, or nil for any other name.
  static func baseOffset(ofLog name: String) -> Offset? {
    guard name.hasSuffix(logExtension) else { return nil }
    return baseOffset(ofStem: name.dropLast(logExtension.count))
  }

  /// The base offset of a name that starts with 20 digits, or nil.
  static func baseOffset(ofStem stem: Substring) -> Offset? {
    let utf8 = stem.utf8
    guard utf8.count == 20, utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
      let value = Int64(stem)
    else { return nil }
    return Offset(value)
  }
}
