public import MeshDiagnostics

/// Reads a JSON file into located values, for schema files: `JSONTokenizer` decides what
/// is JSON; this adds the tree, the places (line and column of every value and key) and
/// the check JSON itself does not make, that an object names each key once.
public struct JSONReader {
  public static let maxDepth = JSONTokenizer.maxDepth

  private let file: SourceFile
  private var tokenizer: JSONTokenizer
  private var diagnostics = Diagnostics()
  /// Locations are taken as the scan moves forward, so each costs O(bytes since the last).
  private var cursor: LocationCursor

  public static func read(_ file: SourceFile) -> (value: SourceValue?, diagnostics: Diagnostics) {
    var reader = JSONReader(file: file, tokenizer: JSONTokenizer(file.bytes), cursor: LocationCursor(file))
    do throws(JSONSyntaxError) {
      let value = try reader.value(try reader.tokenizer.next())
      guard try reader.tokenizer.next() == .end else { return (nil, reader.diagnostics) }
      return (value, reader.diagnostics)
    } catch {
      reader.report(error)
      return (nil, reader.diagnostics)
    }
  }

  /// Several JSON texts back to back (JSON Lines, or documents separated by spaces).
  public static func readAll(_ file: SourceFile) -> (values: [SourceValue], diagnostics: Diagnostics) {
    var reader = JSONReader(
      file: file, tokenizer: JSONTokenizer(file.bytes, sequence: true), cursor: LocationCursor(file))
    var values: [SourceValue] = []
    do throws(JSONSyntaxError) {
      while true {
        let token = try reader.tokenizer.next()
        if token == .end { break }
        values.append(try reader.value(token))
      }
    } catch {
      reader.report(error)
    }
    return (values, reader.diagnostics)
  }

  private mutating func report(_ error: JSONSyntaxError) {
    let code: DiagnosticCode = error.kind == .tooDeep ? .schemaTooDeep : .schemaInvalidJSON
    let at = min(error.offset, file.bytes.count)
    diagnostics.error(code, error.message, at: file.range(fromByte: at, toByte: min(at + 1, file.bytes.count)))
  }

  private mutating func range(from start: SourceLocation) -> SourceRange {
    SourceRange(file: file.path, start: start, end: cursor.location(at: tokenizer.offset))
  }

  /// The value that `token` (just taken) starts. Recursion follows the tokenizer's
  /// nesting, which it bounds at `maxDepth`.
  private mutating func value(_ token: JSONToken) throws(JSONSyntaxError) -> SourceValue {
    let start = cursor.location(at: tokenizer.tokenStart)
    switch token {
    case .objectStart:
      var members: [SourceValue.Member] = []
      var seen: [String: SourceRange] = [:]
      while case .name(let name) = try tokenizer.next() {
        let keyStart = cursor.location(at: tokenizer.tokenStart)
        let key = JSONTokenizer.decode(name, in: tokenizer.bytes)
        let keyRange = SourceRange(
          file: file.path, start: keyStart, end: cursor.location(at: name.contents.upperBound + 1))
        if let first = seen[key] {
          diagnostics.error(
            .schemaDuplicateKey, "duplicate key '\(key)' in JSON object", at: keyRange,
            notes: [Diagnostic.Note("first given here", at: first)])
        }
        seen[key] = keyRange
        let item = try value(try tokenizer.next())
        members.append(SourceValue.Member(key: key, keyRange: keyRange, value: item))
      }
      return SourceValue(.object(members), at: range(from: start))
    case .arrayStart:
      var items: [SourceValue] = []
      while true {
        let next = try tokenizer.next()
        if next == .arrayEnd { break }
        items.append(try value(next))
      }
      return SourceValue(.array(items), at: range(from: start))
    case .string(let string):
      return SourceValue(.string(JSONTokenizer.decode(string, in: tokenizer.bytes)), at: range(from: start))
    case .number(let digits):
      return SourceValue(.number(String(decoding: tokenizer.bytes[digits], as: UTF8.self)), at: range(from: start))
    case .bool(let flag):
      return SourceValue(.bool(flag), at: range(from: start))
    case .null:
      return SourceValue(.null, at: range(from: start))
    case .objectEnd, .arrayEnd, .name, .end:
      // The tokenizer hands these out only where a value cannot start, which it reports itself.
      throw JSONSyntaxError(offset: tokenizer.tokenStart, message: "expected a JSON value")
    }
  }
}
