/// The CRC-32C of the first `count` bytes that a batch's checksum covers (those after its
/// `bodyLength` and `crc` fields), computed ahead of the batch's verification — by the
/// read-ahead helper, over the very memory the reader then verifies — so that the
/// verification only continues it over the rest.
struct ChecksumPrefix: Equatable, Sendable {
  var count: Int
  var crc: UInt32

  static let none = ChecksumPrefix(count: 0, crc: 0)
}
