public import MeshDiagnostics

/// Where each character of a scalar's text was written. A scalar's text differs from its
/// source: quotes, escapes (`\n`, `''`), folded line breaks and block indentation come
/// and go. Later stages parse scalar text (expressions) and must point at the exact
/// place in the file, so this walks the source beside the text and pairs them up.
public enum ScalarLocations {
  /// One location per Unicode scalar of `scalar.text`, and one past its end.
  public static func locate(_ scalar: YAMLScalar, range: SourceRange, in file: SourceFile) -> [SourceLocation] {
    let raw = file.bytes
    let end = min(raw.count, max(file.byteOffset(of: range.end), file.byteOffset(of: range.start)))
    var position = file.byteOffset(of: range.start)
    switch scalar.style {
    case .literal, .folded:
      // The header line (`|`, `>-`, `|2`) holds no text.
      while position < end, raw[position] != UInt8(ascii: "\n") { position += 1 }
      position += 1
    case .singleQuoted, .doubleQuoted:
      position += 1
    case .plain:
      break
    }
    var cursor = LocationCursor(file)
    var locations: [SourceLocation] = []
    locations.reserveCapacity(scalar.text.unicodeScalars.count + 1)
    for character in scalar.text.unicodeScalars {
      let encoded = Array(String(character).utf8)
      var matched = false
      var attempts = 0
      while !matched, attempts < 3 {
        attempts += 1
        guard position < end else { break }
        let byte = raw[position]
        if scalar.style == .doubleQuoted, byte == UInt8(ascii: "\\"), position + 1 < end {
          let next = raw[position + 1]
          if next == UInt8(ascii: "\n") || next == UInt8(ascii: "\r") {
            // An escaped line break: nothing of the text, skip to the next line's text.
            position += 2
            skipBlanks(raw, &position, end)
            continue
          }
          locations.append(cursor.location(at: position))
          position += escapeLength(next)
          matched = true
        } else if scalar.style == .singleQuoted, byte == UInt8(ascii: "'"), position + 1 < end,
          raw[position + 1] == UInt8(ascii: "'")
        {
          locations.append(cursor.location(at: position))
          position += 2
          matched = true
        } else if raw[position...].starts(with: encoded) {
          locations.append(cursor.location(at: position))
          position += encoded.count
          matched = true
        } else if character == " " || character == "\n" {
          // A folded line break or a line's indentation stands for this space.
          locations.append(cursor.location(at: position))
          skipBlanks(raw, &position, end)
          matched = true
        } else {
          skipBlanks(raw, &position, end)
        }
      }
      if !matched { locations.append(cursor.location(at: min(position, end))) }
    }
    locations.append(cursor.location(at: min(position, end)))
    return locations
  }

  private static func skipBlanks(_ raw: [UInt8], _ position: inout Int, _ end: Int) {
    while position < end {
      switch raw[position] {
      case 0x20, 0x09, 0x0A, 0x0D: position += 1
      default: return
      }
    }
  }

  /// The bytes of an escape sequence of a double-quoted scalar, its backslash included.
  private static func escapeLength(_ letter: UInt8) -> Int {
    switch letter {
    case UInt8(ascii: "x"): 4
    case UInt8(ascii: "u"): 6
    case UInt8(ascii: "U"): 10
    default: 2
    }
  }
}
