import MeshBytes
import MeshDiagnostics
import MeshLog

/// How `meshc consume` prints a record, one JSON object per line:
///
/// `{"topic":"orders","partition":0,"offset":5,"timestamp":1732473600000,"key":"o-1","value":{…},"headers":{"trace":"abc"}}`
///
/// - `value`: decoded to JSON when framed with a registered schema id (`produce --schema`);
///   the bytes themselves when they are one JSON text (what plain `produce` stores);
///   otherwise a string when they are UTF-8; otherwise `{"base64":"…"}`; null for a tombstone.
/// - `key`: a string when UTF-8 (keys are strings in Kafka's convention), else
///   `{"base64":"…"}`; null when absent.
/// - `headers`: an object from name to a string (or base64 object, or null); a name that
///   repeats maps to an array of its values in order.
enum RecordJSON {
  /// Throws when the record's headers do not decode (they are decoded only here), so
  /// that the reader reports the batch as damaged instead of printing no headers.
  static func append(
    _ record: RecordView, topic: String, partition: Int, typed: TypedValues? = nil, to out: inout [UInt8]
  ) throws(RecordDecodingError) {
    // First, so that a record that does not decode leaves no half line behind.
    let headers = try record.headers()
    out += Array("{\"topic\":".utf8)
    appendString(topic, to: &out)
    out += Array(",\"partition\":\(partition),\"offset\":\(record.offset.value),\"timestamp\":\(record.timestamp)".utf8)
    out += Array(",\"key\":".utf8)
    if let key = record.key { appendText(Array(key), to: &out) } else { out += Array("null".utf8) }
    out += Array(",\"value\":".utf8)
    if let value = record.value {
      let bytes = Array(value)
      if let typed, let json = typed.json(bytes) {
        out += json
      } else if !bytes.isEmpty, JSONTokenizer.problem(in: bytes) == nil {
        out += trimmed(bytes)
      } else {
        appendText(bytes, to: &out)
      }
    } else {
      out += Array("null".utf8)
    }
    if !headers.isEmpty {
      out += Array(",\"headers\":{".utf8)
      var order: [String] = []
      var values: [String: [[UInt8]?]] = [:]
      for header in headers {
        if values[header.key] == nil { order.append(header.key) }
        values[header.key, default: []].append(header.value)
      }
      for (index, name) in order.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        appendString(name, to: &out)
        out.append(UInt8(ascii: ":"))
        let list = values[name] ?? []
        if list.count > 1 { out.append(UInt8(ascii: "[")) }
        for (position, value) in list.enumerated() {
          if position > 0 { out.append(UInt8(ascii: ",")) }
          if let value { appendText(value, to: &out) } else { out += Array("null".utf8) }
        }
        if list.count > 1 { out.append(UInt8(ascii: "]")) }
      }
      out.append(UInt8(ascii: "}"))
    } else {
      out += Array(",\"headers\":{}".utf8)
    }
    out += Array("}\n".utf8)
  }

  /// A string for UTF-8 bytes, else `{"base64":"…"}`.
  static func appendText(_ bytes: [UInt8], to out: inout [UInt8]) {
    if let text = String(validating: bytes, as: UTF8.self) {
      appendString(text, to: &out)
    } else {
      out += Array("{\"base64\":\"".utf8) + Base64.encode(bytes) + Array("\"}".utf8)
    }
  }

  static func appendString(_ text: String, to out: inout [UInt8]) {
    JSONWriter.appendQuoted(text.utf8, to: &out)
  }

  /// The JSON text without surrounding whitespace (so that each record stays one line:
  /// JSON whitespace outside strings may include newlines, which are dropped here).
  static func trimmed(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var inString = false
    var escaped = false
    for byte in bytes {
      if inString {
        out.append(byte)
        if escaped {
          escaped = false
        } else if byte == 0x5C {
          escaped = true
        } else if byte == 0x22 {
          inString = false
        }
      } else if byte == 0x22 {
        inString = true
        out.append(byte)
      } else if byte != 0x0A && byte != 0x0D {
        out.append(byte)
      }
    }
    return out
  }
}
