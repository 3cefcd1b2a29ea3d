import MeshTestSupport
import Testing

@testable import MeshLog

@Suite struct ReadBufferTests {
  /// Random windows, mostly moving forward as a scanner does (with rewinds, windows
  /// larger than the buffer, and windows straddling what is loaded), each compared with
  /// the file's bytes.
  @Test func everyWindowHoldsTheFilesBytes() throws {
    var random = SeededRandom()
    print("ReadBufferTests: seed \(random.seed)")
    let io = SimulatedFileIO()
    let content = (0..<50_000).map { _ in UInt8.random(in: 0...255, using: &random) }
    let handle = try io.open("/file", .create)
    try io.write(handle, content, at: 0)
    let buffer = ReadBuffer(minimumRead: 256)
    var position = 0
    for step in 0..<5000 {
      let wanted =
        Int.random(in: 1...100, using: &random) == 1
        ? Int.random(in: 257...8000, using: &random) : Int.random(in: 1...300, using: &random)
      if Int.random(in: 1...50, using: &random) == 1 { position = Int.random(in: 0..<content.count, using: &random) }
      if position + wanted > content.count { position = 0 }
      let limit = Int64(Int.random(in: position + wanted...content.count, using: &random))
      let bytes = try buffer.bytes(at: Int64(position), count: wanted, limit: limit, io: io, handle: handle)
      #expect(Array(bytes) == Array(content[position..<position + wanted]), "step \(step), seed \(random.seed)")
      position += Int.random(in: 0...wanted, using: &random)
    }
  }

  @Test func aShortFileGivesFewerBytes() throws {
    let io = SimulatedFileIO()
    let handle = try io.open("/file", .create)
    try io.write(handle, [UInt8](repeating: 7, count: 100), at: 0)
    let buffer = ReadBuffer(minimumRead: 64)
    // The caller believed in 200 bytes; the file has 100.
    #expect(try buffer.bytes(at: 50, count: 150, limit: 200, io: io, handle: handle).count == 50)
    #expect(try buffer.bytes(at: 90, count: 20, limit: 200, io: io, handle: handle).count == 10)
  }
}
