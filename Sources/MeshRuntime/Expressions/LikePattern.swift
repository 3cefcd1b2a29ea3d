/// A LIKE pattern compiled once: `%` matches any text, `_` one character, the rest
/// itself. Split at `%` into segments, the first anchored at the start and the last at
/// the end; the others match leftmost, which is enough because `%` absorbs the rest.
struct LikePattern: Sendable {
  enum Item: Sendable, Equatable {
    case bytes([UInt8])
    case anyCharacter
  }

  let segments: [[Item]]
  let anchoredStart: Bool
  let anchoredEnd: Bool

  init(_ pattern: String) {
    let bytes = Array(pattern.utf8)
    var segments: [[Item]] = [[]]
    for byte in bytes {
      switch byte {
      case UInt8(ascii: "%"): segments.append([])
      case UInt8(ascii: "_"): segments[segments.count - 1].append(.anyCharacter)
      default:
        if case .bytes(var run)? = segments[segments.count - 1].last {
          run.append(byte)
          segments[segments.count - 1][segments[segments.count - 1].count - 1] = .bytes(run)
        } else {
          segments[segments.count - 1].append(.bytes([byte]))
        }
      }
    }
    anchoredStart = bytes.first != UInt8(ascii: "%")
    anchoredEnd = bytes.last != UInt8(ascii: "%") || bytes.isEmpty
    self.segments = segments
  }

  func matches(_ text: ArraySlice<UInt8>) -> Bool {
    var position = text.startIndex
    let last = segments.count - 1
    for (index, segment) in segments.enumerated() {
      if index == 0 && anchoredStart {
        guard let end = match(segment, in: text, at: position) else { return false }
        position = end
        if index == last { return !anchoredEnd || end == text.endIndex }
        continue
      }
      if index == last && anchoredEnd {
        // The last segment must end the text: try each character start from here on.
        var start = position
        while start <= text.endIndex {
          if start == text.endIndex || UTF8Text.isLead(text[start]),
            let end = match(segment, in: text, at: start), end == text.endIndex
          {
            return true
          }
          start += 1
        }
        return false
      }
      guard let found = leftmost(segment, in: text, from: position) else { return false }
      position = found
    }
    return true
  }

  /// The end of the segment matched at `start`, or nil.
  private func match(_ segment: [Item], in text: ArraySlice<UInt8>, at start: Int) -> Int? {
    var at = start
    for item in segment {
      switch item {
      case .bytes(let run):
        guard at + run.count <= text.endIndex, text[at..<(at + run.count)].elementsEqual(run) else { return nil }
        at += run.count
      case .anyCharacter:
        guard at < text.endIndex else { return nil }
        at += 1
        while at < text.endIndex, !UTF8Text.isLead(text[at]) { at += 1 }
      }
    }
    return at
  }

  private func leftmost(_ segment: [Item], in text: ArraySlice<UInt8>, from: Int) -> Int? {
    var start = from
    while start <= text.endIndex {
      if start == text.endIndex || UTF8Text.isLead(text[start]), let end = match(segment, in: text, at: start) {
        return end
      }
      start += 1
    }
    return nil
  }
}
