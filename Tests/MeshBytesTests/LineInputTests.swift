import Foundation
import MeshBytes
import Testing

@Suite struct LineInputTests {
  /// Lines written into a pipe by another thread in small pieces, as `produce` reads them.
  static func lines(from bytes: [UInt8], maxLineBytes: Int = .max, chunk: Int = 7, piece: Int = 5) -> [LineInput.Line] {
    let pipe = Pipe()
    let writer = Thread {
      var offset = 0
      while offset < bytes.count {
        let end = min(bytes.count, offset + piece)
        pipe.fileHandleForWriting.write(Data(bytes[offset..<end]))
        offset = end
      }
      try? pipe.fileHandleForWriting.close()
    }
    writer.start()
    let input = LineInput(
      descriptor: pipe.fileHandleForReading.fileDescriptor, maxLineBytes: maxLineBytes, chunk: chunk)
    var lines: [LineInput.Line] = []
    while let line = input.nextLine() { lines.append(line) }
    return lines
  }

  @Test func splitsAtLineBreaksWhateverTheReads() {
    let text = Array("one\r\ntwo\n\nthree is longer than a chunk\nlast".utf8)
    let expected: [LineInput.Line] = ["one", "two", "", "three is longer than a chunk", "last"].map {
      .complete(Array($0.utf8))
    }
    for (chunk, piece) in [(1, 1), (3, 2), (7, 5), (64, 100), (4096, 3)] {
      #expect(Self.lines(from: text, chunk: chunk, piece: piece) == expected, "chunk \(chunk), piece \(piece)")
    }
    #expect(
      {
        let input = LineInput(bytes: text)
        var lines: [LineInput.Line] = []
        while let line = input.nextLine() { lines.append(line) }
        return lines
      }() == expected)
  }

  @Test func aLineTooLongIsSkippedAndCountedNotKept() {
    let long = String(repeating: "x", count: 10_000)
    let text = Array("short\n\(long)\nafter\n\(long)".utf8)
    let lines = Self.lines(from: text, maxLineBytes: 100, chunk: 64, piece: 1000)
    #expect(
      lines == [
        .complete(Array("short".utf8)), .tooLong(bytes: 10_000), .complete(Array("after".utf8)),
        .tooLong(bytes: 10_000),
      ])
  }

  /// A 32 MB line through a pipe in 64 KiB pieces: each byte is scanned once (this took
  /// seconds per 25 MB when every read rescanned the line).
  @Test func aLongLineFromAPipeIsReadInOnePass() {
    let count = 32 << 20
    var text = [UInt8](repeating: UInt8(ascii: "a"), count: count)
    text.append(0x0A)
    let lines = Self.lines(from: text, chunk: 64 * 1024, piece: 64 * 1024)
    #expect(lines.count == 1)
    if case .complete(let line)? = lines.first { #expect(line.count == count) } else { Issue.record("no line") }
  }
}
